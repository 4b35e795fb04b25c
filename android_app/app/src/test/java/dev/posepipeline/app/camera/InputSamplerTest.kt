package dev.posepipeline.app.camera

import dev.posepipeline.app.Golden
import dev.posepipeline.app.ml.InputSpec
import dev.posepipeline.app.ml.TensorType
import java.nio.ByteBuffer
import java.nio.ByteOrder
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Test

/** Building the model input from RGBA camera frames: rotation, letterbox, strides, dtype. */
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
    fun upscalingTakesTheNearestPixel() {
        val rgb = byteArrayOf(1, 2, 3, 4, 5, 6)
        val out = sample(Frames.sensorFrame(rgb, 2, 1, 0), 0, InputSpec(4, 2, 3, TensorType.UINT8))
        assertArrayEquals(byteArrayOf(1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6), out.copyOfRange(0, 12))
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

    private fun sample(frame: RgbaFrame, rotation: Int, spec: InputSpec): ByteArray {
        val buffer = ByteBuffer.allocateDirect(spec.byteCount)
        InputSampler(
            spec
        ).fill(frame, FrameGeometry(frame.width, frame.height, rotation, spec.width, spec.height), buffer)
        return ByteArray(spec.byteCount).also { buffer.get(it) }
    }
}
