package dev.posepipeline.app.ml

/**
 * Heatmaps -> one keypoint per joint, in heatmap pixels. Implementations mirror
 * `pose/decode.py` one to one; the golden-vector tests hold them to Python's results.
 */
interface HeatmapDecoder {
    /** The name `pose/decode.py` and the metadata's `decoder` field use. */
    val name: String

    /** Decodes every joint of [heatmaps]. */
    fun decode(heatmaps: Heatmaps): DecodedHeatmaps
}
