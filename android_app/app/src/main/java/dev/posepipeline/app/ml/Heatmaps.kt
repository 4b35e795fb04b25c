package dev.posepipeline.app.ml

/**
 * Dequantised model output: [joints] heatmaps of [height] x [width], stored HWC row-major like
 * the raw tensor, so element (row, column, joint) is `values[(row * width + column) * joints + joint]`.
 */
class Heatmaps(val height: Int, val width: Int, val joints: Int, val values: FloatArray) {
    init {
        require(values.size == height * width * joints) {
            "Heatmaps of $height x $width x $joints need ${height * width * joints} values, got ${values.size}"
        }
    }

    /** The value of [joint]'s map at ([row], [column]). */
    operator fun get(row: Int, column: Int, joint: Int): Float = values[(row * width + column) * joints + joint]

    /** Like [get], but 0 outside the map, as the zero padding of `pose.decode._window`. */
    fun getOrZero(row: Int, column: Int, joint: Int): Float =
        if (row in 0 until height && column in 0 until width) get(row, column, joint) else 0f

    /** Like [get], but with row and column clamped into the map, as `np.clip` in the quarter-offset decoder. */
    fun getClamped(row: Int, column: Int, joint: Int): Float =
        get(row.coerceIn(0, height - 1), column.coerceIn(0, width - 1), joint)

    /**
     * The integer maximum of [joint]'s map: the first maximum in row-major order, as numpy's
     * `argmax` over the flattened map picks it. Ties matter on flat-topped, quantised maps.
     */
    fun peak(joint: Int): Peak {
        var bestIndex = 0
        var bestValue = values[joint]
        for (index in 1 until height * width) {
            val value = values[index * joints + joint]
            if (value > bestValue) {
                bestValue = value
                bestIndex = index
            }
        }
        return Peak(bestIndex / width, bestIndex % width, bestValue)
    }
}

/** An integer heatmap maximum: its [row] and [column] (heatmap pixels) and its [value]. */
data class Peak(val row: Int, val column: Int, val value: Float)
