package dev.posepipeline.app.camera

import dev.posepipeline.app.Golden
import dev.posepipeline.app.ml.InputSpec
import dev.posepipeline.app.ml.TensorType
import java.nio.ByteBuffer
import java.nio.ByteOrder
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Test

/** Building the model input from RGBA camera frames: rotation, letterbox and crops, strides, dtype. */
class InputSamplerTest {
    private val golden = Golden.all().first()
    private val size = golden.inputShape[0]
    private val spec = InputSpec(golden.inputShape[1], golden.inputShape[0], 3, TensorType.UINT8)

    @Test
    fun aFrameOfTheInputSizeIsCopiedExactlyForEveryRotation() {
        for (rotation in listOf(0, 90, 180, 270)) {
            val frame = Frames.sensorFrame(golden.input, size, size, rotation)
            assertArrayEquals("rotation $rotation", golden.input, sample(frame, rotation, spec))
        }
    }

    @Test
    fun rowPaddingInTheCameraBufferIsSkipped() {
        val frame = Frames.sensorFrame(golden.input, size, size, 90, rowPadding = 24)
        assertArrayEquals(golden.input, sample(frame, 90, spec))
    }

    @Test
    fun downscalingAveragesEachFootprint() {
        // Every input pixel of a 2x pixel-duplicated frame averages four equal pixels.
        val frame = Frames.sensorFrame(Frames.upscale(golden.input, size, size, 2), 2 * size, 2 * size, 270)
        assertArrayEquals(golden.input, sample(frame, 270, spec))
        // Four different pixels average (rounded).
        val tiny = Frames.sensorFrame(byteArrayOf(0, 0, 0, 10, 20, 30, 20, 40, 60, 31, 0, 0), 2, 2, 0)
        assertArrayEquals(byteArrayOf(15, 15, 23), sample(tiny, 0, InputSpec(1, 1, 3, TensorType.UINT8)))
    }

    @Test
    fun theLetterboxPadsRightAndBottomWithBlack() {
        // A 4 x 2 upright frame into a 4 x 4 input: zoom 1, rows 2 and 3 are padding.
        val rgb = ByteArray(4 * 2 * 3) { (it + 1).toByte() }
        val frame = Frames.sensorFrame(rgb, 4, 2, 0)
        val out = sample(frame, 0, InputSpec(4, 4, 3, TensorType.UINT8))
        assertArrayEquals(rgb, out.copyOfRange(0, rgb.size))
        assertArrayEquals(ByteArray(4 * 2 * 3), out.copyOfRange(rgb.size, out.size))
        // Sideways: a 2 x 4 upright frame pads the right half.
        val tall = Frames.sensorFrame(rgb, 2, 4, 0)
        val padded = sample(tall, 0, InputSpec(4, 4, 3, TensorType.UINT8))
        for (row in 0 until 4) {
            assertArrayEquals(rgb.copyOfRange(row * 6, row * 6 + 6), padded.copyOfRange(row * 12, row * 12 + 6))
            assertArrayEquals(ByteArray(6), padded.copyOfRange(row * 12 + 6, row * 12 + 12))
        }
    }

    @Test
    fun enlargingInterpolatesBilinearlyWithBlackBeyondTheFrame() {
        // A 2 x 1 frame letterboxed into 4 x 2: zoom 2, input pixel u at frame x = (u - 0.5) / 2,
        // i.e. -0.25, 0.25, 0.75, 1.25; input row 0 at frame y = -0.25, row 1 at 0.25. Beyond the
        // frame is black, as cv2.warpAffine's constant border in pose.inference.person.sample_crop.
        val rgb = byteArrayOf(40, 80, 120, 120, 80, 40)
        val out = sample(Frames.sensorFrame(rgb, 2, 1, 0), 0, InputSpec(4, 2, 3, TensorType.UINT8))
        fun expected(a: Int, b: Int, column: Int, rowWeight: Double): Int {
            val weights = listOf(0.75 to 0.0, 0.75 to 0.25, 0.25 to 0.75, 0.0 to 0.75)[column]
            return ((weights.first * a + weights.second * b) * rowWeight + 0.5).toInt()
        }
        for (row in 0 until 2) {
            for (column in 0 until 4) {
                for (channel in 0 until 3) {
                    val a = rgb[channel].toInt()
                    val b = rgb[3 + channel].toInt()
                    assertEquals(
                        "row $row column $column channel $channel",
                        expected(a, b, column, 0.75),
                        out[(row * 4 + column) * 3 + channel].toInt() and 0xFF
                    )
                }
            }
        }
    }

    @Test
    fun aCropAtZoomOneCopiesAWindowInEveryRotation() {
        val width = 40
        val height = 30
        val rgb = ByteArray(width * height * 3) { (it * 7 + it / 3).toByte() }
        val small = InputSpec(16, 12, 3, TensorType.UINT8)
        val crop = CropAffine(1.0, -5.0, -7.0) // input (u, v) = frame (u + 5, v + 7)
        for (rotation in listOf(0, 90, 180, 270)) {
            val out = sampleCrop(Frames.sensorFrame(rgb, width, height, rotation), rotation, small, crop)
            for (v in 0 until 12) {
                val from = ((v + 7) * width + 5) * 3
                assertArrayEquals(
                    "rotation $rotation row $v",
                    rgb.copyOfRange(from, from + 16 * 3),
                    out.copyOfRange(v * 16 * 3, (v + 1) * 16 * 3)
                )
            }
        }
    }

    @Test
    fun aShrinkingCropAveragesFootprintsAndIsBlackBeyondTheFrame() {
        // The golden picture blown up 2x; a crop at zoom 0.5 starting at picture pixel (100, 90):
        // input (u, v) is picture pixel (u + 100, v + 90), black where that lies beyond the picture.
        val frame = Frames.sensorFrame(Frames.upscale(golden.input, size, size, 2), 2 * size, 2 * size, 90)
        val crop = CropAffine(0.5, -100 - 0.25, -90 - 0.25)
        val out = sampleCrop(frame, 90, spec, crop)
        for (v in 0 until size) {
            for (u in 0 until size) {
                val inside = u + 100 < size && v + 90 < size
                for (channel in 0 until 3) {
                    val expected = if (inside) golden.input[((v + 90) * size + u + 100) * 3 + channel] else 0
                    assertEquals("($u, $v) channel $channel", expected.toByte(), out[(v * size + u) * 3 + channel])
                }
            }
        }
    }

    @Test
    fun theLetterboxIsACropLikeAnyOther() {
        val frame = Frames.sensorFrame(Frames.upscale(golden.input, size, size, 3), 3 * size, 3 * size, 180)
        val geometry = FrameGeometry(frame.width, frame.height, 180, size, size)
        assertArrayEquals(sample(frame, 180, spec), sampleCrop(frame, 180, spec, geometry.letterbox))
    }

    @Test
    fun float32InputsHoldPixelValues() {
        val frame = Frames.sensorFrame(byteArrayOf(0, -128, -1), 1, 1, 0)
        val floatSpec = InputSpec(1, 1, 3, TensorType.FLOAT32)
        val buffer = ByteBuffer.allocateDirect(floatSpec.byteCount).order(ByteOrder.nativeOrder())
        InputSampler(floatSpec).fill(frame, FrameGeometry(1, 1, 0, 1, 1), buffer)
        assertEquals(0f, buffer.getFloat(0), 0f)
        assertEquals(128f, buffer.getFloat(4), 0f)
        assertEquals(255f, buffer.getFloat(8), 0f)
    }

    @Test
    fun mirroringReversesEachRowsPixelsForEveryElementType() {
        val frame = Frames.sensorFrame(golden.input, size, size, 0)
        val buffer = ByteBuffer.allocateDirect(spec.byteCount)
        val sampler = InputSampler(spec)
        sampler.fill(frame, FrameGeometry(size, size, 0, size, size), buffer)
        sampler.mirror(buffer)
        val mirrored = ByteArray(spec.byteCount).also { buffer.get(it) }
        val width = golden.inputShape[1]
        for (row in 0 until size) {
            for (column in 0 until width) {
                for (channel in 0 until 3) {
                    assertEquals(
                        "row $row column $column channel $channel",
                        golden.input[(row * width + width - 1 - column) * 3 + channel],
                        mirrored[(row * width + column) * 3 + channel]
                    )
                }
            }
        }
        // float32: whole 4-byte values move, in a 3 x 1 input (the middle pixel stays).
        val rgb = byteArrayOf(1, 2, 3, 4, 5, 6, 7, 8, 9)
        val floatSpec = InputSpec(3, 1, 3, TensorType.FLOAT32)
        val floats = ByteBuffer.allocateDirect(floatSpec.byteCount).order(ByteOrder.nativeOrder())
        val floatSampler = InputSampler(floatSpec)
        floatSampler.fill(Frames.sensorFrame(rgb, 3, 1, 0), FrameGeometry(3, 1, 0, 3, 1), floats)
        floatSampler.mirror(floats)
        val expected = floatArrayOf(7f, 8f, 9f, 4f, 5f, 6f, 1f, 2f, 3f)
        for (i in expected.indices) assertEquals("float $i", expected[i], floats.getFloat(4 * i), 0f)
    }

    private fun sampleCrop(frame: RgbaFrame, rotation: Int, spec: InputSpec, crop: CropAffine): ByteArray {
        val buffer = ByteBuffer.allocateDirect(spec.byteCount)
        val geometry = FrameGeometry(frame.width, frame.height, rotation, spec.width, spec.height)
        InputSampler(spec).fill(frame, geometry, crop, buffer)
        return ByteArray(spec.byteCount).also { buffer.get(it) }
    }

    private fun sample(frame: RgbaFrame, rotation: Int, spec: InputSpec): ByteArray {
        val buffer = ByteBuffer.allocateDirect(spec.byteCount)
        InputSampler(
            spec
        ).fill(frame, FrameGeometry(frame.width, frame.height, rotation, spec.width, spec.height), buffer)
        return ByteArray(spec.byteCount).also { buffer.get(it) }
    }
}
