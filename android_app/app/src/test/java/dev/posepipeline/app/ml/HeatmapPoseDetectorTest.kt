package dev.posepipeline.app.ml

import dev.posepipeline.app.Golden
import dev.posepipeline.app.TestFiles
import dev.posepipeline.app.camera.FrameGeometry
import dev.posepipeline.app.camera.Frames
import java.nio.ByteBuffer
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * The whole per-frame pipeline with the model replaced by the golden outputs: camera frame ->
 * input tensor -> (golden model output) -> keypoints in upright-frame pixels.
 */
class HeatmapPoseDetectorTest {
    private val spec = ModelSpec.parse(TestFiles.assetText("pose_model.json"))

    /** Plays back the golden output and checks the detector fed it the golden input. */
    private class GoldenRunner(private val golden: Golden) : TensorRunner {
        override val accelerator = "golden"
        var calls = 0
        var closed = false

        override fun run(input: ByteBuffer, output: ByteBuffer) {
            val fed = ByteArray(golden.input.size).also { input.duplicate().get(it) }
            assertArrayEquals("model input for ${golden.stem}", golden.input, fed)
            output.put(golden.output)
            calls++
        }

        override fun close() {
            closed = true
        }
    }

    @Test
    fun goldenFramesGiveGoldenKeypointsInEveryOrientation() {
        for (golden in Golden.all()) {
            for (rotation in listOf(0, 90, 180, 270)) {
                val runner = GoldenRunner(golden)
                val detector = HeatmapPoseDetector(spec, runner)
                val frame = Frames.sensorFrame(golden.input, spec.input.width, spec.input.height, rotation)
                val detection = detector.detect(frame, rotation)
                assertEquals(1, runner.calls)
                assertEquals(spec.input.width, detection.frameWidth)
                assertEquals(spec.input.height, detection.frameHeight)
                assertEquals("golden", detection.accelerator)
                detection.pose.keypoints.forEachIndexed { joint, keypoint ->
                    val where = "${golden.stem} rotation $rotation joint $joint"
                    assertEquals(where, golden.keypointsInput[joint].x, keypoint.position.x, 0.01f)
                    assertEquals(where, golden.keypointsInput[joint].y, keypoint.position.y, 0.01f)
                    assertEquals(where, golden.confidence[joint], keypoint.confidence.toDouble(), 1e-5)
                }
                detector.close()
                assertTrue(runner.closed)
            }
        }
    }

    @Test
    fun keypointsComeBackInFramePixelsThroughTheLetterbox() {
        // The golden picture blown up 3x in a portrait sensor frame: keypoints scale by 3
        // about pixel centres, (p + 0.5) * 3 - 0.5, in upright-frame pixels.
        val golden = Golden.all().first()
        val size = spec.input.width
        val big = Frames.upscale(golden.input, size, size, 3)
        val frame = Frames.sensorFrame(big, 3 * size, 3 * size, 90)
        val detection = HeatmapPoseDetector(spec, GoldenRunner(golden)).detect(frame, 90)
        assertEquals(3 * size, detection.frameWidth)
        detection.pose.keypoints.forEachIndexed { joint, keypoint ->
            val expected = golden.keypointsInput[joint]
            assertEquals((expected.x + 0.5f) * 3 - 0.5f, keypoint.position.x, 0.03f)
            assertEquals((expected.y + 0.5f) * 3 - 0.5f, keypoint.position.y, 0.03f)
            // ...and that point lies on the same sensor pixel the picture was put at.
            val geometry = FrameGeometry(frame.width, frame.height, 90, size, size)
            val back = geometry.sensorToUpright(geometry.uprightToSensor(keypoint.position))
            assertEquals(keypoint.position.x, back.x, 1e-4f)
            assertEquals(keypoint.position.y, back.y, 1e-4f)
        }
    }

    @Test
    fun timingsComeFromTheClock() {
        val golden = Golden.all().first()
        var now = 0L
        val clock = {
            now += 1_000_000L
            now
        } // every reading advances 1 ms
        val detector = HeatmapPoseDetector(spec, GoldenRunner(golden), clock)
        val detection = detector.detect(Frames.sensorFrame(golden.input, spec.input.width, spec.input.height, 0), 0)
        assertEquals(1.0, detection.inferenceMillis, 1e-9)
        assertEquals(3.0, detection.totalMillis, 1e-9)
    }
}
