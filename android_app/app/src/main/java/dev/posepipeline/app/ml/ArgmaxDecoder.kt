package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point

/** Whole-pixel argmax (`pose.decode.plain_argmax`). */
object ArgmaxDecoder : PeakRefiningDecoder() {
    override val name = "argmax"

    override fun refine(heatmaps: Heatmaps, joint: Int, peak: Peak): Point =
        Point(peak.column.toFloat(), peak.row.toFloat())
}
