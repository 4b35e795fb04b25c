package dev.posepipeline.app.ml

import dev.posepipeline.app.camera.FrameGeometry
import dev.posepipeline.app.camera.InputSampler
import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.data.BodyPart
import dev.posepipeline.app.data.Keypoint
import dev.posepipeline.app.data.Pose
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * The whole per-frame pipeline in plain Kotlin, around a [TensorRunner]:
 * frame -> upright letterboxed input -> model -> dequantise -> decode (the metadata's decoder)
 * -> heatmap pixels -> input pixels -> upright-frame pixels.
 *
 * @param spec the model metadata.
 * @param runner runs the model; closed with this detector.
 * @param clock monotonic time source, nanoseconds (injectable for tests).
 */
class HeatmapPoseDetector(
    override val spec: ModelSpec,
    private val runner: TensorRunner,
    private val clock: () -> Long = { System.nanoTime() }
) : PoseDetector {
    private val decoder = HeatmapDecoders.forName(spec.decoder)
    private val sampler = InputSampler(spec.input)
    private val input: ByteBuffer = ByteBuffer.allocateDirect(spec.input.byteCount).order(ByteOrder.nativeOrder())
    private val output: ByteBuffer = ByteBuffer.allocateDirect(spec.output.byteCount).order(ByteOrder.nativeOrder())
    private val values = FloatArray(spec.output.elementCount)

    override fun detect(frame: RgbaFrame, rotationDegrees: Int): Detection {
        val start = clock()
        val geometry = FrameGeometry(frame.width, frame.height, rotationDegrees, spec.input.width, spec.input.height)
        sampler.fill(frame, geometry, input)
        output.clear()
        val modelStart = clock()
        runner.run(input, output)
        val modelEnd = clock()
        output.rewind()
        Dequantizer.dequantize(output, spec.output, values)
        val decoded = decoder.decode(Heatmaps(spec.output.height, spec.output.width, spec.output.joints, values))
        val parts = BodyPart.values()
        val keypoints = decoded.positions.mapIndexed { joint, heatmapPoint ->
            val framePoint = geometry.inputToUpright(spec.output.heatmapToInput(heatmapPoint))
            Keypoint(parts[joint], framePoint, decoded.confidences[joint])
        }
        val end = clock()
        return Detection(
            Pose(keypoints),
            geometry.uprightWidth,
            geometry.uprightHeight,
            inferenceMillis = (modelEnd - modelStart) / 1e6,
            totalMillis = (end - start) / 1e6,
            accelerator = runner.accelerator
        )
    }

    override fun close() = runner.close()
}
