package dev.posepipeline.app.ml

import dev.posepipeline.app.camera.CropAffine
import dev.posepipeline.app.camera.FrameGeometry
import dev.posepipeline.app.camera.InputSampler
import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.tracking.CropModel
import dev.posepipeline.app.tracking.FinderSettings
import dev.posepipeline.app.tracking.OneEuroFilter
import dev.posepipeline.app.tracking.PersonFinder
import dev.posepipeline.app.tracking.PersonTracker
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * The whole per-frame pipeline in plain Kotlin, around a [TensorRunner], as `pose predict` runs
 * a video: frame -> upright -> the crops [PersonFinder] asks for (the letterboxed whole frame and
 * crops around the person when searching, one crop around the previous frame's person when
 * tracking) -> model -> dequantise -> decode -> keypoints in upright-frame pixels -> one-euro
 * smoothing at the frame's timestamp. A frame where nobody is found gives no pose.
 *
 * A change of the upright frame (size or rotation) forgets the tracked person.
 *
 * @param spec the model metadata.
 * @param runner runs the model; closed with this detector.
 * @param clock monotonic time source, nanoseconds (injectable for tests).
 * @param settings how the person is searched for; by default the metadata's `person_finder`.
 * @param smoother smooths the found person's keypoints over frames.
 */
class HeatmapPoseDetector(
    override val spec: ModelSpec,
    private val runner: TensorRunner,
    private val clock: () -> Long = { System.nanoTime() },
    settings: FinderSettings = spec.finder,
    smoother: OneEuroFilter = OneEuroFilter()
) : PoseDetector {
    private val sampler = InputSampler(spec.input)
    private val input: ByteBuffer = ByteBuffer.allocateDirect(spec.input.byteCount).order(ByteOrder.nativeOrder())
    private val tracker = PersonTracker(PersonFinder(spec, settings), smoother)
    private var lastWidth = 0
    private var lastHeight = 0
    private var lastRotation = -1

    override fun detect(frame: RgbaFrame, rotationDegrees: Int, timestampNanos: Long): Detection {
        val start = clock()
        val geometry = FrameGeometry(frame.width, frame.height, rotationDegrees, spec.input.width, spec.input.height)
        if (frame.width != lastWidth || frame.height != lastHeight || rotationDegrees != lastRotation) {
            tracker.reset() // the previous keypoints are in another frame's pixels
            lastWidth = frame.width
            lastHeight = frame.height
            lastRotation = rotationDegrees
        }
        val model = FrameModel(frame, geometry)
        val tracked = tracker.next(geometry.uprightWidth, geometry.uprightHeight, timestampNanos / 1e9, model)
        val end = clock()
        return Detection(
            pose = tracked.smoothed?.toPose(),
            person = tracked.person,
            frameWidth = geometry.uprightWidth,
            frameHeight = geometry.uprightHeight,
            inferenceMillis = model.modelNanos / 1e6,
            totalMillis = (end - start) / 1e6,
            accelerator = runner.accelerator,
            modelRuns = model.runs
        )
    }

    override fun reset() = tracker.reset()

    override fun close() = runner.close()

    /** The model on crops of one camera frame: sample the crop, run LiteRT, time it. */
    private inner class FrameModel(private val frame: RgbaFrame, private val geometry: FrameGeometry) : CropModel {
        var modelNanos = 0L
        var runs = 0

        override fun run(crop: CropAffine, output: ByteBuffer, mirrored: Boolean) {
            sampler.fill(frame, geometry, crop, input)
            if (mirrored) sampler.mirror(input)
            val modelStart = clock()
            runner.run(input, output)
            modelNanos += clock() - modelStart
            runs++
        }
    }
}
