package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point

/**
 * Centre of mass of `max(value, 0)` in the `(2 * radius + 1)^2` window around the integer
 * maximum; cells outside the map count as 0 (`pose.decode.weighted_centroid`). Robust on
 * flat-topped and quantised maps, where argmax picks one of several equal cells.
 *
 * @property radius window half-size, heatmap pixels (the pipeline uses 2).
 */
class CentroidDecoder(val radius: Int = 2) : PeakRefiningDecoder() {
    override val name = "centroid"

    override fun refine(heatmaps: Heatmaps, joint: Int, peak: Peak): Point {
        // Double sums, as numpy's float64: the offsets must match Python to well under 0.01 px.
        var mass = 0.0
        var sumX = 0.0
        var sumY = 0.0
        for (dy in -radius..radius) {
            for (dx in -radius..radius) {
                val value = heatmaps.getOrZero(peak.row + dy, peak.column + dx, joint).toDouble()
                if (value > 0.0) {
                    mass += value
                    sumX += value * dx
                    sumY += value * dy
                }
            }
        }
        val offsetX = if (mass > 0.0) sumX / mass else 0.0
        val offsetY = if (mass > 0.0) sumY / mass else 0.0
        return Point((peak.column + offsetX).toFloat(), (peak.row + offsetY).toFloat())
    }
}
