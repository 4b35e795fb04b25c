package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point

/**
 * Decoder output: per joint (model order) a sub-pixel position in heatmap pixels and a confidence.
 *
 * @property positions one position per joint, heatmap pixels.
 * @property confidences one dequantised peak value per joint.
 */
class DecodedHeatmaps(val positions: List<Point>, val confidences: FloatArray) {
    init {
        require(positions.size == confidences.size) {
            "${positions.size} positions but ${confidences.size} confidences"
        }
    }
}
