package dev.posepipeline.app.ui

/**
 * Frames per second over a sliding window of the last [window] frame times.
 *
 * A plain average over recent frames is steadier on screen than 1 / (last interval) and reacts
 * within a second to changes (GPU toggle, camera switch).
 *
 * @property window how many intervals to average over.
 */
class FpsMeter(private val window: Int = 30) {
    init {
        require(window > 0) { "window must be positive, got $window" }
    }

    private val times = LongArray(window + 1)
    private var count = 0
    private var next = 0

    /** Records a frame finished at [nanos] (monotonic clock) and returns the current rate. */
    fun tick(nanos: Long): Double {
        times[next] = nanos
        next = (next + 1) % times.size
        if (count < times.size) count++
        return fps()
    }

    /** Frames per second over the recorded window; 0 until two frames are recorded. */
    fun fps(): Double {
        if (count < 2) return 0.0
        val newest = times[(next - 1 + times.size) % times.size]
        val oldest = times[(next - count + times.size) % times.size]
        val span = newest - oldest
        return if (span > 0) (count - 1) * 1e9 / span else 0.0
    }

    /** Forgets all frames (e.g. after switching cameras). */
    fun reset() {
        count = 0
        next = 0
    }
}
