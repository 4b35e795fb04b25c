package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point
import kotlin.math.abs
import kotlin.math.ln
import kotlin.math.max

/**
 * Argmax refined by a second-order Taylor expansion of the log heatmap (DARK, Zhang et al. 2020;
 * `pose.decode.dark_refinement`). Exact for a Gaussian; where the Hessian is not negative
 * definite or the step leaves the peak's pixel neighbourhood (|offset| > 1) the argmax is kept.
 */
object DarkDecoder : PeakRefiningDecoder() {
    override val name = "dark"

    /** Floor before the logarithm, so zeros (and the zero padding) stay finite. */
    private const val EPSILON = 1e-10

    override fun refine(heatmaps: Heatmaps, joint: Int, peak: Peak): Point {
        val r = peak.row
        val c = peak.column
        fun log(dr: Int, dc: Int): Double = ln(max(heatmaps.getOrZero(r + dr, c + dc, joint).toDouble(), EPSILON))
        val centre = log(0, 0)
        val dx = (log(0, 1) - log(0, -1)) / 2
        val dy = (log(1, 0) - log(-1, 0)) / 2
        val dxx = log(0, 1) - 2 * centre + log(0, -1)
        val dyy = log(1, 0) - 2 * centre + log(-1, 0)
        val dxy = (log(1, 1) - log(1, -1) - log(-1, 1) + log(-1, -1)) / 4
        val determinant = dxx * dyy - dxy * dxy
        var offsetX = 0.0
        var offsetY = 0.0
        if (determinant > 1e-12 && dxx < 0) {
            // offset = -H^-1 g with H = [[dxx, dxy], [dxy, dyy]].
            val stepX = -(dyy * dx - dxy * dy) / determinant
            val stepY = -(dxx * dy - dxy * dx) / determinant
            if (abs(stepX) <= 1 && abs(stepY) <= 1) {
                offsetX = stepX
                offsetY = stepY
            }
        }
        return Point((c + offsetX).toFloat(), (r + offsetY).toFloat())
    }
}
