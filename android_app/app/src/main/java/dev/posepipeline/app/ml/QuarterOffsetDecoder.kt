package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point

/**
 * Argmax moved a quarter pixel towards the higher neighbour on each axis (Newell et al.;
 * `pose.decode.argmax_with_quarter_offset`). At the border the missing neighbour is the peak
 * itself (clamped index), exactly as the Python code does.
 */
object QuarterOffsetDecoder : PeakRefiningDecoder() {
    override val name = "quarter_offset"

    override fun refine(heatmaps: Heatmaps, joint: Int, peak: Peak): Point {
        val r = peak.row
        val c = peak.column
        val dx = sign(heatmaps.getClamped(r, c + 1, joint) - heatmaps.getClamped(r, c - 1, joint))
        val dy = sign(heatmaps.getClamped(r + 1, c, joint) - heatmaps.getClamped(r - 1, c, joint))
        return Point(c + 0.25f * dx, r + 0.25f * dy)
    }

    private fun sign(value: Float): Float = when {
        value > 0f -> 1f
        value < 0f -> -1f
        else -> 0f
    }
}
