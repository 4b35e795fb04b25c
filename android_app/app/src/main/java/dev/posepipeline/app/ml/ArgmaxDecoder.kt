package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point

/** Whole-pixel argmax (`pose.decode.plain_argmax`). */
object ArgmaxDecoder : HeatmapDecoder {
    override val name = "argmax"

    override fun decode(heatmaps: Heatmaps): DecodedHeatmaps {
        val peaks = (0 until heatmaps.joints).map { heatmaps.peak(it) }
        return DecodedHeatmaps(
            peaks.map { Point(it.column.toFloat(), it.row.toFloat()) },
            FloatArray(peaks.size) { peaks[it].value }
        )
    }
}
