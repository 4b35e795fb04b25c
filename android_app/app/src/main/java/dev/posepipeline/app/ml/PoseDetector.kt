package dev.posepipeline.app.ml

import dev.posepipeline.app.camera.RgbaFrame
import java.io.Closeable

/**
 * Camera frames in, one tracked person's pose out. The camera and UI code only know this interface.
 * Not thread-safe: call it from one thread (the camera's analysis thread), which is also what
 * LiteRT's GPU delegate requires.
 */
interface PoseDetector : Closeable {
    /** The model this detector runs. */
    val spec: ModelSpec

    /**
     * Detects the pose in [frame] (sensor orientation) that must be turned clockwise by
     * [rotationDegrees] to be upright, taken at [timestampNanos] (the camera's timestamp, for
     * smoothing; any monotonic nanosecond clock). Successive calls track the person found in
     * the previous frame.
     */
    fun detect(frame: RgbaFrame, rotationDegrees: Int, timestampNanos: Long): Detection

    /** Forgets the tracked person: the next frame is searched whole (e.g. after switching cameras). */
    fun reset()
}
