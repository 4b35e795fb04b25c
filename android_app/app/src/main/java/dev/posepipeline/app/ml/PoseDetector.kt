package dev.posepipeline.app.ml

import dev.posepipeline.app.camera.RgbaFrame
import java.io.Closeable

/**
 * Camera frame in, one person's pose out. The camera and UI code only know this interface.
 * Not thread-safe: call it from one thread (the camera's analysis thread), which is also what
 * LiteRT's GPU delegate requires.
 */
interface PoseDetector : Closeable {
    /** The model this detector runs. */
    val spec: ModelSpec

    /**
     * Detects the pose in [frame] (sensor orientation) that must be turned clockwise by
     * [rotationDegrees] to be upright.
     */
    fun detect(frame: RgbaFrame, rotationDegrees: Int): Detection
}
