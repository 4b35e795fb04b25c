package dev.posepipeline.app.camera

import android.content.Context
import android.util.Log
import android.util.Size
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.core.resolutionselector.AspectRatioStrategy
import androidx.camera.core.resolutionselector.ResolutionSelector
import androidx.camera.core.resolutionselector.ResolutionStrategy
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.core.content.ContextCompat
import androidx.lifecycle.LifecycleOwner
import java.util.concurrent.ExecutorService

/**
 * Binds CameraX's preview and frame analysis to a lifecycle and hands every analysed frame to
 * [onFrame] as an [RgbaFrame] plus its rotation and timestamp.
 *
 * Both use cases ask for the same 4:3 aspect ratio so the analysed frame covers the same field of
 * view as the preview, which [ViewTransform] relies on. Analysis keeps only the latest frame
 * (`STRATEGY_KEEP_ONLY_LATEST`): a slow model drops frames instead of lagging behind.
 *
 * @param context for the camera provider and the main executor.
 * @param lifecycleOwner the camera runs while it is started.
 * @param previewView where the preview is shown.
 * @param analysisExecutor the single thread that runs [onFrame].
 * @param onFrame called on [analysisExecutor] with each frame, its rotation, the lens and the frame's
 *   timestamp (CameraX's `ImageInfo.timestamp`, nanoseconds); the frame's buffer is only valid during the call.
 * @param onError called on the main thread when the camera cannot be opened.
 * @param frontCamera start with the front camera (e.g. restored after a configuration change).
 */
class CameraController(
    private val context: Context,
    private val lifecycleOwner: LifecycleOwner,
    private val previewView: PreviewView,
    private val analysisExecutor: ExecutorService,
    private val onFrame: (frame: RgbaFrame, rotationDegrees: Int, frontCamera: Boolean, timestampNanos: Long) -> Unit,
    private val onError: (message: String) -> Unit,
    frontCamera: Boolean = false
) {
    private var provider: ProcessCameraProvider? = null

    /** Whether the front (selfie) camera is in use. */
    var frontCamera: Boolean = frontCamera
        private set

    /** Opens the camera (asynchronously) with the current lens. */
    fun start() {
        val future = ProcessCameraProvider.getInstance(context)
        future.addListener(
            {
                try {
                    provider = future.get()
                    bind()
                } catch (problem: Exception) {
                    Log.e(TAG, "Camera provider unavailable", problem)
                    onError(problem.message ?: problem.toString())
                }
            },
            ContextCompat.getMainExecutor(context)
        )
    }

    /** Switches between the back and the front camera; returns whether the front one is now used. */
    fun switchCamera(): Boolean {
        frontCamera = !frontCamera
        bind()
        return frontCamera
    }

    private fun bind() {
        val cameraProvider = provider ?: return
        val selector = if (frontCamera) CameraSelector.DEFAULT_FRONT_CAMERA else CameraSelector.DEFAULT_BACK_CAMERA
        if (!hasCamera(cameraProvider, selector)) {
            onError(if (frontCamera) "This device has no front camera" else "This device has no back camera")
            return
        }
        val aspect = AspectRatioStrategy.RATIO_4_3_FALLBACK_AUTO_STRATEGY
        val preview = Preview.Builder()
            .setResolutionSelector(ResolutionSelector.Builder().setAspectRatioStrategy(aspect).build())
            .build()
        preview.setSurfaceProvider(previewView.surfaceProvider)
        val analysis = ImageAnalysis.Builder()
            .setResolutionSelector(
                ResolutionSelector.Builder()
                    .setAspectRatioStrategy(aspect)
                    // The model input is small; a VGA-sized frame is plenty and cheap to sample.
                    .setResolutionStrategy(
                        ResolutionStrategy(ANALYSIS_SIZE, ResolutionStrategy.FALLBACK_RULE_CLOSEST_HIGHER_THEN_LOWER)
                    )
                    .build()
            )
            .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
            .setOutputImageFormat(ImageAnalysis.OUTPUT_IMAGE_FORMAT_RGBA_8888)
            .build()
        val front = frontCamera
        analysis.setAnalyzer(analysisExecutor) { image -> analyze(image, front) }
        try {
            cameraProvider.unbindAll()
            cameraProvider.bindToLifecycle(lifecycleOwner, selector, preview, analysis)
        } catch (problem: Exception) {
            Log.e(TAG, "Binding the camera failed", problem)
            onError(problem.message ?: problem.toString())
        }
    }

    private fun analyze(image: ImageProxy, front: Boolean) {
        try {
            val plane = image.planes[0]
            val frame = RgbaFrame(plane.buffer, image.width, image.height, plane.rowStride, plane.pixelStride)
            onFrame(frame, image.imageInfo.rotationDegrees, front, image.imageInfo.timestamp)
        } finally {
            image.close() // lets CameraX deliver the next frame
        }
    }

    private fun hasCamera(cameraProvider: ProcessCameraProvider, selector: CameraSelector): Boolean = try {
        cameraProvider.hasCamera(selector)
    } catch (problem: Exception) {
        false
    }

    /** Releases the camera. */
    fun stop() {
        provider?.unbindAll()
    }

    private companion object {
        const val TAG = "CameraController"
        val ANALYSIS_SIZE = Size(640, 480)
    }
}
