package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point

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

/**
 * A decoder that starts, for each joint, from the integer maximum of its map and moves it to a
 * sub-pixel position; the confidence is the peak value, as in `pose/decode.py`.
 */
abstract class PeakRefiningDecoder : HeatmapDecoder {
    override fun decode(heatmaps: Heatmaps): DecodedHeatmaps {
        val positions = ArrayList<Point>(heatmaps.joints)
        val confidences = FloatArray(heatmaps.joints)
        for (joint in 0 until heatmaps.joints) {
            val peak = heatmaps.peak(joint)
            positions.add(refine(heatmaps, joint, peak))
            confidences[joint] = peak.value
        }
        return DecodedHeatmaps(positions, confidences)
    }

    /** The keypoint of [joint], heatmap pixels, from its integer [peak]. */
    protected abstract fun refine(heatmaps: Heatmaps, joint: Int, peak: Peak): Point
}
