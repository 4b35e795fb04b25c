package dev.posepipeline.app.tracking

import kotlin.math.PI
import kotlin.math.abs

/**
 * Keypoints smoothed over video frames: a one-euro filter (Casiez, Roussel and Vogel, CHI 2012)
 * per coordinate, each frame's measurement trusted in proportion to the joint's confidence; the
 * twin of `pose.inference.smoothing.OneEuroFilter`, formula for formula.
 *
 * A low-pass filter whose cut-off rises with speed: still joints stop jittering, fast ones lag
 * little, and a joint the model is unsure of moves less.
 *
 * @property minCutoffHz cut-off at rest: lower is smoother when still.
 * @property beta how fast the cut-off rises with speed (per pixel/second): higher lags less.
 * @property derivativeCutoffHz cut-off of the speed estimate.
 */
class OneEuroFilter(val minCutoffHz: Double = 1.0, val beta: Double = 0.05, val derivativeCutoffHz: Double = 1.0) {
    // Interleaved x, y per joint, as the (K, 2) arrays in Python.
    private var value: DoubleArray? = null
    private var speed = DoubleArray(0)
    private var time = 0.0

    /** Forgets the past (a new person, or the track was lost). */
    fun reset() {
        value = null
    }

    /**
     * The smoothed keypoints of [person] at [timeSeconds]: [person] with its keypoints replaced.
     * The first frame after [reset], and a frame whose time is not after the previous one, start
     * the filter afresh at the measurement.
     */
    fun smooth(person: Person, timeSeconds: Double): Person {
        val joints = person.joints
        val previous = value
        if (previous == null || previous.size != 2 * joints || timeSeconds <= time) {
            val start = DoubleArray(2 * joints)
            for (joint in 0 until joints) {
                start[2 * joint] = person.x[joint]
                start[2 * joint + 1] = person.y[joint]
            }
            value = start
            speed = DoubleArray(2 * joints)
            time = timeSeconds
            return person.withKeypoints(person.x.copyOf(), person.y.copyOf())
        }
        val seconds = timeSeconds - time
        val speedFactor = smoothingFactor(derivativeCutoffHz, seconds)
        for (index in 0 until 2 * joints) {
            val joint = index / 2
            val measured = if (index % 2 == 0) person.x[joint] else person.y[joint]
            val weight = person.confidences[joint].toDouble().coerceIn(0.0, 1.0)
            val newSpeed = (measured - previous[index]) / seconds
            speed[index] += speedFactor * weight * (newSpeed - speed[index])
            val cutoff = minCutoffHz + beta * abs(speed[index])
            val tau = 1.0 / (2 * PI * cutoff)
            val alpha = weight / (1.0 + tau / seconds)
            previous[index] += alpha * (measured - previous[index])
        }
        time = timeSeconds
        return person.withKeypoints(
            DoubleArray(joints) { previous[2 * it] },
            DoubleArray(joints) { previous[2 * it + 1] }
        )
    }

    companion object {
        /** Exponential smoothing factor of a first-order low-pass filter at [cutoffHz] over a step of [seconds]. */
        fun smoothingFactor(cutoffHz: Double, seconds: Double): Double {
            val tau = 1.0 / (2 * PI * cutoffHz)
            return 1.0 / (1.0 + tau / seconds)
        }
    }
}
