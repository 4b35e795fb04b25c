package dev.posepipeline.app.camera

import android.content.Context
import android.hardware.display.DisplayManager
import android.util.Log
import android.util.Size
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.core.UseCaseGroup
import androidx.camera.core.resolutionselector.AspectRatioStrategy
import androidx.camera.core.resolutionselector.ResolutionSelector
import androidx.camera.core.resolutionselector.ResolutionStrategy
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.core.content.ContextCompat
import androidx.lifecycle.LifecycleOwner
import dev.posepipeline.app.session.DisplayRotation
import dev.posepipeline.app.session.Lens
import dev.posepipeline.app.session.LensChoice
import java.util.concurrent.ExecutorService

/**
 * Binds CameraX's preview and frame analysis to a lifecycle and hands every analysed frame to
 * [onFrame] as an [RgbaFrame] plus its rotation and timestamp.
 *
 * Both use cases are bound in one `UseCaseGroup` with the preview's `ViewPort`, so CameraX gives
 * the analysed frames a crop rectangle covering exactly what the preview shows; [onFrame] gets
 * that part of the frame, which is what [ViewTransform] maps onto the screen. The use cases'
 * target rotation follows the display, including a 180-degree turn between the two landscapes
 * (which recreates no activity). Analysis keeps only the latest frame
 * (`STRATEGY_KEEP_ONLY_LATEST`): a slow model drops frames instead of lagging behind.
 *
 * The lens is decided by [LensChoice] from the lenses the device has.
 *
 * @param context for the camera provider, the display and the main executor.
 * @param lifecycleOwner the camera runs while it is started.
 * @param previewView where the preview is shown.
 * @param analysisExecutor the single thread that runs [onFrame].
 * @param onFrame called on [analysisExecutor] with each frame, its rotation, the lens and the frame's
 *   timestamp (CameraX's `ImageInfo.timestamp`, nanoseconds); the frame's buffer is only valid during the call.
 * @param onProblem called on the main thread with why the camera (or the lens asked for) cannot be
 *   used, and with null once it is fine again.
 * @param preferredLens the lens to start with (e.g. the one saved before a configuration change).
 */
class CameraController(
    private val context: Context,
    private val lifecycleOwner: LifecycleOwner,
    private val previewView: PreviewView,
    private val analysisExecutor: ExecutorService,
    private val onFrame: (frame: RgbaFrame, rotationDegrees: Int, frontCamera: Boolean, timestampNanos: Long) -> Unit,
    private val onProblem: (message: String?) -> Unit,
    private val preferredLens: Lens = Lens.BACK
) {
    private var provider: ProcessCameraProvider? = null
    private var choice: LensChoice? = null
    private var preview: Preview? = null
    private var analysis: ImageAnalysis? = null
    private val displayRotation = DisplayRotation()
    private val displayListener = object : DisplayManager.DisplayListener {
        override fun onDisplayAdded(displayId: Int) = Unit

        override fun onDisplayRemoved(displayId: Int) = Unit

        override fun onDisplayChanged(displayId: Int) {
            val display = previewView.display ?: return
            if (display.displayId != displayId || !displayRotation.update(display.rotation)) return
            preview?.targetRotation = display.rotation
            analysis?.targetRotation = display.rotation
        }
    }

    /** The lens in use (what a configuration change should save); the preferred one until the camera opens. */
    val lens: Lens get() = choice?.lens ?: preferredLens

    /** Whether [start] was called and [stop] was not. */
    var started = false
        private set

    /** Opens the camera (asynchronously) with the preferred lens, or the other one if the device lacks it. */
    fun start() {
        if (started) return
        started = true
        context.getSystemService(DisplayManager::class.java)?.registerDisplayListener(displayListener, null)
        val future = ProcessCameraProvider.getInstance(context)
        future.addListener(
            {
                try {
                    val cameraProvider = future.get()
                    provider = cameraProvider
                    val available = Lens.values().filter { hasCamera(cameraProvider, selector(it)) }.toSet()
                    choice = LensChoice(available, choice?.lens ?: preferredLens)
                    bind()
                } catch (problem: Exception) {
                    Log.e(TAG, "Camera provider unavailable", problem)
                    onProblem(problem.message ?: problem.toString())
                }
            },
            ContextCompat.getMainExecutor(context)
        )
    }

    /**
     * Switches to the other lens if the device has it, else keeps the current one and reports why.
     * Returns whether the lens changed.
     */
    fun switchCamera(): Boolean {
        val current = choice ?: return false
        val changed = current.switch()
        if (changed) bind() else onProblem(current.problem)
        return changed
    }

    private fun bind() {
        val cameraProvider = provider ?: return
        val current = choice ?: return
        val lens = current.lens
        if (lens == null) {
            onProblem(current.problem)
            return
        }
        // The view port exists once the preview view is laid out; bind right after that.
        val viewPort = previewView.viewPort
        if (viewPort == null) {
            previewView.post { bind() }
            return
        }
        val rotation = previewView.display?.rotation ?: viewPort.rotation
        displayRotation.update(rotation)
        val aspect = AspectRatioStrategy.RATIO_4_3_FALLBACK_AUTO_STRATEGY
        val newPreview = Preview.Builder()
            .setResolutionSelector(ResolutionSelector.Builder().setAspectRatioStrategy(aspect).build())
            .setTargetRotation(rotation)
            .build()
        newPreview.setSurfaceProvider(previewView.surfaceProvider)
        val newAnalysis = ImageAnalysis.Builder()
            .setResolutionSelector(
                ResolutionSelector.Builder()
                    .setAspectRatioStrategy(aspect)
                    // The model input is small; a VGA-sized frame is plenty and cheap to sample.
                    .setResolutionStrategy(
                        ResolutionStrategy(ANALYSIS_SIZE, ResolutionStrategy.FALLBACK_RULE_CLOSEST_HIGHER_THEN_LOWER)
                    )
                    .build()
            )
            .setTargetRotation(rotation)
            .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
            .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_RGBA_8888)
            .build()
        val front = lens == Lens.FRONT
        newAnalysis.setAnalyzer(analysisExecutor) { image -> analyze(image, front) }
        val group = UseCaseGroup.Builder()
            .setViewPort(viewPort)
            .addUseCase(newPreview)
            .addUseCase(newAnalysis)
            .build()
        try {
            cameraProvider.unbindAll()
            cameraProvider.bindToLifecycle(lifecycleOwner, selector(lens), group)
            preview = newPreview
            analysis = newAnalysis
            onProblem(current.problem) // null unless the preferred lens was missing
        } catch (problem: Exception) {
            Log.e(TAG, "Binding the camera failed", problem)
            onProblem(problem.message ?: problem.toString())
        }
    }

    private fun analyze(image: ImageProxy, front: Boolean) {
        try {
            val plane = image.planes[0]
            val whole = RgbaFrame(plane.buffer, image.width, image.height, plane.rowStride, plane.pixelStride)
            // The part the preview shows (the view port's crop), in sensor orientation.
            val shown = image.cropRect
            val frame = whole.cropped(shown.left, shown.top, shown.width(), shown.height())
            onFrame(frame, image.imageInfo.rotationDegrees, front, image.imageInfo.timestamp)
        } finally {
            image.close() // lets CameraX deliver the next frame
        }
    }

    private fun selector(lens: Lens): CameraSelector =
        if (lens == Lens.FRONT) CameraSelector.DEFAULT_FRONT_CAMERA else CameraSelector.DEFAULT_BACK_CAMERA

    private fun hasCamera(cameraProvider: ProcessCameraProvider, selector: CameraSelector): Boolean = try {
        cameraProvider.hasCamera(selector)
    } catch (problem: Exception) {
        false
    }

    /** Releases the camera and stops following the display. */
    fun stop() {
        if (!started) return
        started = false
        context.getSystemService(DisplayManager::class.java)?.unregisterDisplayListener(displayListener)
        provider?.unbindAll()
        preview = null
        analysis = null
    }

    private companion object {
        const val TAG = "CameraController"
        val ANALYSIS_SIZE = Size(640, 480)
    }
}
