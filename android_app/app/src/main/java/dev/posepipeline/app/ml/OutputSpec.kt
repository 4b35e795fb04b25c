package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point

/**
 * The model output: one heatmap per joint, HWC (`height x width x joints`), row-major.
 *
 * @property width heatmap width, heatmap pixels.
 * @property height heatmap height, heatmap pixels.
 * @property joints number of heatmap channels.
 * @property stride model-input pixels per heatmap pixel.
 * @property scale quantisation scale: value = (raw - [zeroPoint]) * scale (1 for float outputs).
 * @property zeroPoint quantisation zero point (0 for float outputs).
 * @property type element type of the raw output.
 */
data class OutputSpec(
    val width: Int,
    val height: Int,
    val joints: Int,
    val stride: Int,
    val scale: Float,
    val zeroPoint: Int,
    val type: TensorType
) {
    /** Number of elements of the output tensor (batch 1). */
    val elementCount: Int get() = width * height * joints

    /** Size of the output tensor, bytes. */
    val byteCount: Int get() = elementCount * type.bytes

    /**
     * A heatmap position in model-input pixels, as `pose.heatmaps.heatmap_to_crop`: heatmap
     * pixel `j` covers input pixels `j*stride .. j*stride + stride - 1`, so its centre is
     * `(j + 0.5) * stride - 0.5`.
     */
    fun heatmapToInput(point: Point): Point = Point((point.x + 0.5f) * stride - 0.5f, (point.y + 0.5f) * stride - 0.5f)
}
