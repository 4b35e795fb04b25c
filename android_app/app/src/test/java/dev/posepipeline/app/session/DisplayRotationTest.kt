package dev.posepipeline.app.session

import dev.posepipeline.app.ml.HeatmapPoseDetector
import dev.posepipeline.app.tracking.Rectangles
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** Turning the phone: the use cases follow every display rotation, including landscape to landscape. */
class DisplayRotationTest {
    private val rotation0 = 0
    private val rotation90 = 1
    private val rotation270 = 3

    @Test
    fun aTurnBetweenTheTwoLandscapesIsPassedOn() {
        val display = DisplayRotation()
        assertTrue(display.update(rotation0))
        assertTrue(display.update(rotation90))
        assertFalse("no change, nothing to tell", display.update(rotation90))
        assertTrue("the 180-degree flip that recreates no activity", display.update(rotation270))
        assertEquals(rotation270, display.current)
    }

    @Test(expected = IllegalArgumentException::class)
    fun degreesAreNotASurfaceRotation() {
        DisplayRotation().update(90)
    }

    @Test
    fun framesOfTheOtherLandscapeStartAWholeFrameSearch() {
        // After the flip CameraX reports frames rotated 270 instead of 90 degrees: the previous
        // person's crop is in the other orientation's pixels and must not be reused.
        val detector = HeatmapPoseDetector(Rectangles.spec, Rectangles.Runner())
        val box = intArrayOf(200, 100, 230, 175)
        assertEquals(2, detector.detect(Rectangles.frame(400, 300, box, 90), 90, 0L).modelRuns)
        assertEquals(1, detector.detect(Rectangles.frame(400, 300, box, 90), 90, 1L).modelRuns)
        val flipped = detector.detect(Rectangles.frame(400, 300, box, 270), 270, 2L)
        assertEquals(2, flipped.modelRuns)
        val truth = Rectangles.truth(box[0], box[1], box[2], box[3])
        assertEquals("upright again", truth.first[0], flipped.person.x[0], 1.5)
    }
}
