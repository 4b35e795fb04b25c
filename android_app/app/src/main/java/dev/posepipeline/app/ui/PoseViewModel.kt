package dev.posepipeline.app.ui

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.ml.ModelAssets
import dev.posepipeline.app.ml.ModelSpec
import dev.posepipeline.app.session.DetectorSession
import dev.posepipeline.app.session.FrameOutcome
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors

/**
 * What outlives a rotation: the model metadata, the analysis thread and the [DetectorSession]
 * (interpreter and GPU delegate), so turning the phone does not reload the model. The activity
 * is recreated around it and only rebinds the camera.
 *
 * Threading: [analysisExecutor] is the single thread CameraX delivers frames on; the session is
 * created, used, released and closed only there (the GPU delegate is bound to one thread).
 */
class PoseViewModel(application: Application) : AndroidViewModel(application) {
    /** The thread that analyses frames and owns the detector. */
    val analysisExecutor: ExecutorService = Executors.newSingleThreadExecutor()

    /** The deployed model's metadata; null until [loadSpec] succeeds. */
    var spec: ModelSpec? = null
        private set

    /** Whether the settings were restored once (after process death the activity's saved state holds them). */
    var restored = false

    /** The GPU toggle: set on the main thread, read on the analysis thread before each frame. */
    @Volatile var useGpu = true

    // Owned by the analysis thread.
    private var session: DetectorSession? = null
    private var active = true
    val fpsMeter = FpsMeter()

    /** Reads the metadata once per ViewModel; throws [IllegalArgumentException] with a readable message. */
    fun loadSpec(): ModelSpec = spec ?: ModelAssets.loadSpec(getApplication<Application>()).also { spec = it }

    /** Runs on the analysis thread: one frame through the session, or [FrameOutcome.Paused] in the background. */
    fun detect(frame: RgbaFrame, rotationDegrees: Int, timestampNanos: Long): FrameOutcome {
        val modelSpec = spec ?: return FrameOutcome.Paused
        if (!active) return FrameOutcome.Paused
        val current = session ?: newSession(modelSpec).also { session = it }
        return current.detect(useGpu, frame, rotationDegrees, timestampNanos)
    }

    private fun newSession(modelSpec: ModelSpec): DetectorSession {
        val context = getApplication<Application>()
        return DetectorSession { gpu -> ModelAssets.createDetector(context, modelSpec, gpu) }
    }

    /**
     * Runs on the analysis thread: an upright picture from the gallery (a photo, or a video frame at
     * [timestampNanos]); [newSequence] forgets the person of the previous picture or camera frame.
     */
    fun detectMedia(frame: RgbaFrame, timestampNanos: Long, newSequence: Boolean): FrameOutcome {
        if (newSequence) session?.retry()
        return detect(frame, 0, timestampNanos)
    }

    /** The app went to the background: release the interpreter and delegate (queued after any frame in flight). */
    fun pause() = analysisExecutor.execute {
        active = false
        session?.release()
    }

    /** Back in the foreground, or another camera: a fresh search, and a fresh chance after a failure. */
    fun resume() = analysisExecutor.execute {
        active = true
        fpsMeter.reset()
        session?.retry()
    }

    override fun onCleared() {
        analysisExecutor.execute {
            session?.close()
            session = null
        }
        analysisExecutor.shutdown()
    }
}
