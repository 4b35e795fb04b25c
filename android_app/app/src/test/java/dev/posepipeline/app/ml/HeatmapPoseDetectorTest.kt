package dev.posepipeline.app.ml

import dev.posepipeline.app.Golden
import dev.posepipeline.app.TestFiles
import dev.posepipeline.app.camera.FrameGeometry
import dev.posepipeline.app.camera.Frames
import dev.posepipeline.app.tracking.FinderSettings
import dev.posepipeline.app.tracking.Rectangles
import java.nio.ByteBuffer
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * The whole per-frame pipeline with the model replaced: camera frame -> crops of the upright frame
 * -> (golden or stand-in model output) -> tracked, smoothed keypoints in upright-frame pixels.
 */
class HeatmapPoseDetectorTest {
    private val spec = ModelSpec.parse(TestFiles.assetText("pose_model.json"))

    /** One letterboxed pass, always "found": the detector reduced to the single-pass pipeline the golden crops check. */
    private val singlePass = FinderSettings(passes = 1, personThreshold = 0.0)

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

    /** A model that sees nothing: all-zero heatmaps. */
    private class BlindRunner : TensorRunner {
        override val accelerator = "blind"
        var calls = 0

        override fun run(input: ByteBuffer, output: ByteBuffer) {
            calls++
            while (output.hasRemaining()) output.put(0)
        }

        override fun close() = Unit
    }

    @Test
    fun goldenFramesGiveGoldenKeypointsInEveryOrientation() {
        for (golden in Golden.all()) {
            for (rotation in listOf(0, 90, 180, 270)) {
                val runner = GoldenRunner(golden)
                val detector = HeatmapPoseDetector(spec, runner, settings = singlePass)
                val frame = Frames.sensorFrame(golden.input, spec.input.width, spec.input.height, rotation)
                val detection = detector.detect(frame, rotation, 0L)
                assertEquals(1, runner.calls)
                assertEquals(1, detection.modelRuns)
                assertEquals(spec.input.width, detection.frameWidth)
                assertEquals(spec.input.height, detection.frameHeight)
                assertEquals("golden", detection.accelerator)
                val pose = detection.pose!! // the first frame: smoothing starts at the measurement
                pose.keypoints.forEachIndexed { joint, keypoint ->
                    val where = "${golden.stem} rotation $rotation joint $joint"
                    assertEquals(where, golden.keypointsInput[joint].x, keypoint.position.x, 0.01f)
                    assertEquals(where, golden.keypointsInput[joint].y, keypoint.position.y, 0.01f)
                    assertEquals(where, golden.confidence[joint], keypoint.confidence.toDouble(), 1e-5)
                    assertEquals(where, golden.keypointsInput[joint].x.toDouble(), detection.person.x[joint], 0.01)
                }
                assertEquals(golden.confidence.average(), detection.person.score, 1e-5)
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
        val detection = HeatmapPoseDetector(spec, GoldenRunner(golden), settings = singlePass).detect(frame, 90, 0L)
        assertEquals(3 * size, detection.frameWidth)
        detection.pose!!.keypoints.forEachIndexed { joint, keypoint ->
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
        val detector = HeatmapPoseDetector(spec, GoldenRunner(golden), clock, singlePass)
        val frame = Frames.sensorFrame(golden.input, spec.input.width, spec.input.height, 0)
        val detection = detector.detect(frame, 0, 0L)
        assertEquals(1.0, detection.inferenceMillis, 1e-9)
        assertEquals(3.0, detection.totalMillis, 1e-9)
    }

    @Test
    fun anEmptyFrameGivesNoSkeleton() {
        val runner = BlindRunner()
        val detector = HeatmapPoseDetector(spec, runner)
        val black = Rectangles.frame(160, 120, null, 90)
        val detection = detector.detect(black, 90, 0L)
        assertNull("nothing to draw", detection.pose)
        assertFalse(detection.person.found)
        assertEquals(0.0, detection.person.score, 0.0)
        assertEquals(1, detection.modelRuns) // no confident joints: no crop to run on
        assertEquals(1, runner.calls)
        assertNull(detector.detect(black, 90, 33_000_000L).pose)
    }

    @Test
    fun thePersonIsFoundThenTrackedInEveryRotationAndLostOnAnEmptyFrame() {
        for (rotation in listOf(0, 90, 180, 270)) {
            val runner = Rectangles.Runner()
            val detector = HeatmapPoseDetector(Rectangles.spec, runner)
            var time = 1_000_000_000L
            for (step in 0 until 4) {
                val box = intArrayOf(200 + 6 * step, 100, 230 + 6 * step, 175)
                val detection = detector.detect(Rectangles.frame(400, 300, box, rotation), rotation, time)
                val where = "rotation $rotation step $step"
                assertEquals(where, if (step == 0) 2 else 1, detection.modelRuns)
                assertEquals(where, Pair(400, 300), Pair(detection.frameWidth, detection.frameHeight))
                val truth = Rectangles.truth(box[0], box[1], box[2], box[3])
                val person = detection.person
                for (joint in 0 until person.joints) {
                    assertEquals("$where joint $joint x", truth.first[joint], person.x[joint], 1.5)
                    assertEquals("$where joint $joint y", truth.second[joint], person.y[joint], 1.5)
                }
                // Smoothed: lags behind the box moving right, never ahead of the measurement.
                val pose = detection.pose
                assertNotNull(where, pose)
                for (joint in 0 until person.joints) {
                    val shown = pose!!.keypoints[joint].position.x.toDouble()
                    assertTrue(
                        "$where joint $joint: shown $shown, measured ${person.x[joint]}",
                        shown <= person.x[joint] + 1e-3
                    )
                    if (step > 0) assertTrue("$where joint $joint lags", shown < person.x[joint] - 0.5)
                }
                time += 33_000_000L
            }
            val lost = detector.detect(Rectangles.frame(400, 300, null, rotation), rotation, time)
            assertNull("rotation $rotation: nobody, nothing drawn", lost.pose)
            assertEquals(2, lost.modelRuns) // the tracked crop, then the whole frame
            val again = detector.detect(
                Rectangles.frame(400, 300, intArrayOf(50, 40, 90, 160), rotation),
                rotation,
                time + 1
            )
            assertEquals(2, again.modelRuns)
            // Smoothing restarted: the first frame after the loss is shown as measured.
            assertEquals(again.person.x[0], again.pose!!.keypoints[0].position.x.toDouble(), 1e-3)
        }
    }

    @Test
    fun anotherCameraOrOrientationSearchesTheWholeFrameAgain() {
        val detector = HeatmapPoseDetector(Rectangles.spec, Rectangles.Runner())
        val box = intArrayOf(200, 100, 230, 175)
        assertEquals(2, detector.detect(Rectangles.frame(400, 300, box), 0, 0L).modelRuns)
        assertEquals(1, detector.detect(Rectangles.frame(400, 300, box), 0, 1L).modelRuns)
        assertEquals(2, detector.detect(Rectangles.frame(400, 300, box, 90), 90, 2L).modelRuns) // turned
        assertEquals(1, detector.detect(Rectangles.frame(400, 300, box, 90), 90, 3L).modelRuns)
        detector.reset() // e.g. the camera was switched
        assertEquals(2, detector.detect(Rectangles.frame(400, 300, box, 90), 90, 4L).modelRuns)
    }
}
