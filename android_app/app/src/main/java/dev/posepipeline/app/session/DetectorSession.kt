package dev.posepipeline.app.session

import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.ml.Detection
import dev.posepipeline.app.ml.PoseDetector
import java.io.Closeable

/** What one frame gave. */
sealed class FrameOutcome {
    /**
     * A detection (possibly of nobody). [notice] says, once, that the detector changed on its
     * own (the GPU failed and the CPU took over); null otherwise.
     */
    class Detected(val detection: Detection, val notice: String?) : FrameOutcome()

    /** Detection failed on the CPU too and is paused until [DetectorSession.retry]; reported once. */
    class Failed(val message: String) : FrameOutcome()

    /** Paused after a failure: the frame was not looked at. */
    object Paused : FrameOutcome()
}

/**
 * The detector's life on the analysis thread, apart from Android: created on first use on the
 * GPU when asked for, recreated when the GPU toggle changes, released in the background
 * ([release]) and recreated on the next frame. A detector that fails while running on the GPU is
 * replaced by a CPU one, which runs the same frame again, and the GPU is not tried again until
 * the user turns it off and on. A failure on the CPU pauses detection with a message, until
 * something changes: the GPU toggle, the camera ([retry]) or a return to the foreground.
 *
 * Not thread-safe: call everything on the one thread that runs the model (the GPU delegate is
 * bound to the thread that created it).
 *
 * @param create makes a detector, on the GPU delegate when its argument is true (a device
 *   without a usable GPU may still return a CPU one).
 */
class DetectorSession(private val create: (useGpu: Boolean) -> PoseDetector) : Closeable {
    private var detector: PoseDetector? = null
    private var detectorOnGpu = false
    private var lastGpuWish: Boolean? = null
    private var gpuBroken = false
    private var failure: String? = null

    /** Whether detection is paused after a failure. */
    val paused: Boolean get() = failure != null

    /** Whether a detector is loaded (model and delegate in memory). */
    val loaded: Boolean get() = detector != null

    /**
     * Detects the pose in [frame] (see [PoseDetector.detect]) with the GPU if [wantGpu] and it
     * has not failed since the user last asked for it.
     */
    fun detect(wantGpu: Boolean, frame: RgbaFrame, rotationDegrees: Int, timestampNanos: Long): FrameOutcome {
        if (wantGpu != lastGpuWish) { // the user changed the toggle (or this is the first frame): a fresh chance
            lastGpuWish = wantGpu
            gpuBroken = false
            failure = null
        }
        if (failure != null) return FrameOutcome.Paused
        var notice: String? = null
        while (true) {
            val useGpu = wantGpu && !gpuBroken
            try {
                val current = detectorFor(useGpu)
                return FrameOutcome.Detected(current.detect(frame, rotationDegrees, timestampNanos), notice)
            } catch (problem: Exception) {
                release()
                val reason = problem.message ?: problem.toString()
                if (!useGpu) {
                    failure = reason
                    return FrameOutcome.Failed(reason)
                }
                gpuBroken = true // run this frame again on the CPU
                notice = "GPU failed ($reason); running on the CPU"
            }
        }
    }

    /** Clears a failure pause and forgets the tracked person (another camera, back from the background). */
    fun retry() {
        failure = null
        gpuBroken = false
        detector?.reset()
    }

    /** Releases the detector (interpreter, delegate, model memory); the next frame loads it again. */
    fun release() {
        val current = detector ?: return
        detector = null
        try {
            current.close()
        } catch (ignored: Exception) {
            // Closing a detector that just failed may fail too; it is gone either way.
        }
    }

    override fun close() = release()

    private fun detectorFor(useGpu: Boolean): PoseDetector {
        val current = detector
        if (current != null && detectorOnGpu == useGpu) return current
        release()
        val created = create(useGpu)
        detector = created
        detectorOnGpu = useGpu
        return created
    }
}
