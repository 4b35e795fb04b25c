package dev.posepipeline.app.camera

import dev.posepipeline.app.data.Point
import org.junit.Assert.assertEquals
import org.junit.Test

/** Frame -> input affines: the letterbox and person crops, as `pose/data/crop.py` and `pose/inference/photo.py`. */
class CropAffineTest {
    @Test
    fun theLetterboxIsFrameGeometrysMapping() {
        for (rotation in listOf(0, 90, 180, 270)) {
            val geometry = FrameGeometry(640, 480, rotation, 128, 96)
            val affine = geometry.letterbox
            assertEquals(CropAffine.letterbox(geometry.uprightWidth, geometry.uprightHeight, 128, 96), affine)
            for (point in listOf(Point(0f, 0f), Point(319.5f, 12.25f), Point(639f, 479f))) {
                val expected = geometry.uprightToInput(point)
                val actual = affine.frameToInput(point)
                assertEquals("rotation $rotation x", expected.x, actual.x, 1e-4f)
                assertEquals("rotation $rotation y", expected.y, actual.y, 1e-4f)
            }
        }
        // 640 px into 128: input pixel 0 covers frame pixels 0..4 (centre 2), 127 covers 635..639 (centre 637).
        val affine = CropAffine.letterbox(640, 480, 128, 128)
        assertEquals(2.0, affine.inputToFrameX(0.0), 1e-9)
        assertEquals(637.0, affine.inputToFrameX(127.0), 1e-9)
    }

    @Test
    fun aCropCentresThePersonAndFitsTheShorterSide() {
        val affine = CropAffine.around(100.0, 200.0, 50.0, 1.3, 192, 256)
        assertEquals(192 / 65.0, affine.zoom, 1e-12)
        assertEquals(95.5, affine.frameToInputX(100.0), 1e-9)
        assertEquals(127.5, affine.frameToInputY(200.0), 1e-9)
        assertEquals(100.0, affine.inputToFrameX(affine.frameToInputX(100.0)), 1e-9)
        // Tiny boxes are at least one pixel.
        assertEquals(192.0, CropAffine.around(0.0, 0.0, 0.1, 1.3, 192, 256).zoom, 1e-12)
        assertEquals(listOf(2.0, 0.0, 3.0, 0.0, 2.0, -4.0), CropAffine(2.0, 3.0, -4.0).toArray().toList())
    }

    @Test
    fun aCropsWindowAndTheOverlapOfTwo() {
        // As tests/test_person.py: a 20 px person, margin 1.5, a 128 x 96 input: 30 frame pixels high, 40 wide.
        val crop = CropAffine.around(50.0, 60.0, 20.0, 1.5, 128, 96)
        val window = crop.window(128, 96)
        val expected = doubleArrayOf(30.0, 45.0, 70.0, 75.0)
        for (side in 0 until 4) assertEquals(expected[side], window[side], 1e-9)
        assertEquals(1.0, crop.overlap(crop, 128, 96), 1e-12)
        // Shifted by a quarter of its width: 30 x 30 shared of 40 x 30 each -> 900 / 1500.
        val shifted = CropAffine.around(60.0, 60.0, 20.0, 1.5, 128, 96)
        assertEquals(0.6, crop.overlap(shifted, 128, 96), 1e-9)
        assertEquals(0.0, crop.overlap(CropAffine.around(500.0, 60.0, 20.0, 1.5, 128, 96), 128, 96), 0.0)
    }
}
