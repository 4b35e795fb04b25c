package dev.posepipeline.app.ui

import android.Manifest
import android.content.Intent
import android.content.pm.PackageManager
import android.graphics.Bitmap
import android.net.Uri
import android.os.Bundle
import android.provider.Settings
import android.util.Log
import android.view.View
import android.widget.Button
import android.widget.ImageView
import android.widget.SeekBar
import android.widget.TextView
import android.widget.Toast
import androidx.activity.result.PickVisualMediaRequest
import androidx.activity.result.contract.ActivityResultContracts
import androidx.appcompat.app.AppCompatActivity
import androidx.appcompat.widget.SwitchCompat
import androidx.camera.view.PreviewView
import androidx.core.content.ContextCompat
import androidx.core.view.ViewCompat
import androidx.core.view.WindowInsetsCompat
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.ViewModelProvider
import dev.posepipeline.app.R
import dev.posepipeline.app.camera.CameraController
import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.ml.Detection
import dev.posepipeline.app.session.FrameOutcome
import dev.posepipeline.app.session.Lens
import dev.posepipeline.app.session.PermissionFlow
import dev.posepipeline.app.session.PermissionStep
import kotlin.math.roundToInt

/**
 * The single screen: camera preview, skeleton overlay, FPS and inference time, a camera switch,
 * a GPU toggle, the per-joint confidence threshold, and a photo or video from the gallery through
 * the same detector ([GalleryPlayer]), shown whole with the per-joint confidences.
 *
 * A thin adapter: the decisions live in plain Kotlin ([PermissionFlow], [dev.posepipeline.app.session.LensChoice],
 * [dev.posepipeline.app.session.DetectorSession], tested on the JVM); the model and its thread live in
 * [PoseViewModel] and survive rotation. Results are posted to the main thread and dropped once
 * this activity is stopped or destroyed.
 */
class MainActivity : AppCompatActivity() {
    private lateinit var preview: PreviewView
    private lateinit var overlay: OverlayView
    private lateinit var status: TextView
    private lateinit var message: TextView
    private lateinit var actionButton: Button
    private lateinit var switchButton: Button
    private lateinit var gpuSwitch: SwitchCompat
    private lateinit var thresholdLabel: TextView
    private lateinit var thresholdBar: SeekBar
    private lateinit var still: ImageView
    private lateinit var galleryButton: Button

    private lateinit var model: PoseViewModel
    private lateinit var permission: PermissionFlow
    private var camera: CameraController? = null
    private var gallery: GalleryPlayer? = null

    /** Whether a gallery photo or video is on screen instead of the camera. */
    private var showingMedia = false

    /** What [actionButton] does now: ask for the permission again, or open the app's settings. */
    private var buttonAction: (() -> Unit)? = null

    /** Whether [message] shows a model failure (cleared when the user changes something). */
    private var showingModelFailure = false

    private val permissionRequest = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        val rationale = shouldShowRequestPermissionRationale(Manifest.permission.CAMERA)
        follow(permission.onResult(granted, rationale))
    }

    private val mediaPicker = registerForActivityResult(ActivityResultContracts.PickVisualMedia()) { uri ->
        if (uri != null) openMedia(uri)
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContentView(R.layout.activity_main)
        preview = findViewById(R.id.preview)
        overlay = findViewById(R.id.overlay)
        status = findViewById(R.id.status)
        message = findViewById(R.id.message)
        actionButton = findViewById(R.id.grant)
        switchButton = findViewById(R.id.switch_camera)
        gpuSwitch = findViewById(R.id.gpu)
        thresholdLabel = findViewById(R.id.threshold_label)
        thresholdBar = findViewById(R.id.threshold)
        still = findViewById(R.id.still)
        galleryButton = findViewById(R.id.gallery)
        keepControlsClearOfSystemBars()
        actionButton.setOnClickListener { buttonAction?.invoke() }

        model = ViewModelProvider(this)[PoseViewModel::class.java]
        permission = PermissionFlow(savedInstanceState?.getBoolean(KEY_PERMISSION_ASKED) ?: false)
        val loaded = try {
            model.loadSpec()
        } catch (problem: Exception) {
            Log.e(TAG, "Cannot read the model metadata", problem)
            showMessage(getString(R.string.model_error, problem.message ?: problem.toString()), null)
            return
        }
        overlay.setSkeleton(loaded.skeleton)
        setUpThreshold(savedInstanceState?.getFloat(KEY_THRESHOLD) ?: OverlayView.DEFAULT_THRESHOLD)

        if (!model.restored) { // after process death the ViewModel is new and the saved state has the toggle
            model.useGpu = savedInstanceState?.getBoolean(KEY_GPU) ?: true
            model.restored = true
        }
        gpuSwitch.isChecked = model.useGpu
        gpuSwitch.setOnCheckedChangeListener { _, checked ->
            model.useGpu = checked // the session notices the change on the next frame: a fresh chance
            clearModelFailure()
        }

        val savedLens = Lens.named(savedInstanceState?.getString(KEY_LENS))
        val controller = CameraController(
            context = this,
            lifecycleOwner = this,
            previewView = preview,
            analysisExecutor = model.analysisExecutor,
            onFrame = ::onFrame,
            onProblem = ::showCameraProblem,
            preferredLens = savedLens ?: Lens.BACK
        )
        camera = controller
        switchButton.setOnClickListener {
            if (controller.switchCamera()) {
                overlay.setPose(null, 0, 0, false)
                clearModelFailure()
                model.resume() // another camera: search the whole frame again
            }
        }
        gallery = GalleryPlayer(this, model.analysisExecutor, model::detectMedia, ::showMediaFrame, ::mediaDone)
        galleryButton.setOnClickListener {
            if (showingMedia) {
                backToCamera()
            } else {
                val request = PickVisualMediaRequest.Builder()
                    .setMediaType(ActivityResultContracts.PickVisualMedia.ImageAndVideo)
                    .build()
                mediaPicker.launch(request)
            }
        }
        follow(permission.onCreate(hasCameraPermission()))
    }

    /** Stops the camera and runs the detector on a gallery photo or video. */
    private fun openMedia(uri: Uri) {
        camera?.stop()
        showingMedia = true
        galleryButton.text = getString(R.string.back_to_camera)
        switchButton.isEnabled = false
        overlay.setPose(null, 0, 0, false)
        clearModelFailure()
        gallery?.play(uri)
    }

    private fun showMediaFrame(picture: Bitmap, outcome: FrameOutcome) {
        if (!showingMedia || isDestroyed) return
        still.setImageBitmap(picture)
        still.visibility = View.VISIBLE
        when (outcome) {
            is FrameOutcome.Detected -> {
                val pose = outcome.detection.pose
                // Shown whole (fitCenter), so the overlay fits rather than fills.
                overlay.setPose(pose, picture.width, picture.height, mirrored = false, fill = false)
                status.text = pose?.confidenceLines(overlay.threshold)?.joinToString("\n")
                    ?: getString(R.string.nobody_found)
            }

            is FrameOutcome.Failed -> showMessage(getString(R.string.model_error, outcome.message), null)

            FrameOutcome.Paused -> Unit
        }
    }

    private fun mediaDone(problem: String?) {
        if (problem != null && showingMedia && !isDestroyed) showMessage(getString(R.string.media_error, problem), null)
    }

    private fun backToCamera() {
        gallery?.cancel()
        showingMedia = false
        still.visibility = View.GONE
        still.setImageDrawable(null)
        galleryButton.text = getString(R.string.gallery)
        switchButton.isEnabled = true
        overlay.setPose(null, 0, 0, false)
        hideMessage()
        model.resume() // the camera's first frame is searched whole
        val controller = camera ?: return
        permission.onResume(hasCameraPermission(), controller.started)?.let(::follow)
    }

    override fun onStart() {
        super.onStart()
        model.resume()
    }

    override fun onResume() {
        super.onResume()
        // Back from the app's settings with the permission granted: start without asking.
        val controller = camera ?: return
        if (showingMedia) return
        permission.onResume(hasCameraPermission(), controller.started)?.let(::follow)
    }

    override fun onStop() {
        // CameraX stops the frames with this lifecycle; free the interpreter and GPU delegate too.
        gallery?.cancel()
        model.pause()
        super.onStop()
    }

    override fun onDestroy() {
        camera?.stop()
        super.onDestroy()
    }

    private fun hasCameraPermission(): Boolean =
        ContextCompat.checkSelfPermission(this, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED

    private fun follow(step: PermissionStep) {
        when (step) {
            PermissionStep.START_CAMERA -> {
                hideMessage()
                camera?.start()
            }

            PermissionStep.REQUEST -> permissionRequest.launch(Manifest.permission.CAMERA)

            PermissionStep.WAIT -> Unit

            PermissionStep.EXPLAIN_AND_ASK -> showMessage(
                getString(R.string.camera_permission_needed),
                getString(R.string.grant_permission)
            ) {
                follow(permission.onAskAgain())
            }

            PermissionStep.EXPLAIN_AND_OPEN_SETTINGS -> showMessage(
                getString(R.string.camera_permission_denied),
                getString(R.string.open_settings)
            ) {
                startActivity(
                    Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", packageName, null))
                )
            }
        }
    }

    /**
     * Runs on the analysis thread for every frame CameraX delivers: tracks the person (a whole-frame
     * search on the first frame and after a loss, then one crop per frame around the previous
     * person) and posts the smoothed pose, or none when nobody is found, to the overlay.
     */
    private fun onFrame(frame: RgbaFrame, rotationDegrees: Int, frontCamera: Boolean, timestampNanos: Long) {
        val outcome = model.detect(frame, rotationDegrees, timestampNanos)
        val fps = if (outcome is FrameOutcome.Detected) model.fpsMeter.tick(System.nanoTime()) else 0.0
        if (outcome is FrameOutcome.Failed) Log.e(TAG, "Pose detection failed: ${outcome.message}")
        runOnUiThread {
            // A result of a frame taken before this screen stopped has no view left to go to.
            if (isDestroyed || !lifecycle.currentState.isAtLeast(Lifecycle.State.STARTED)) return@runOnUiThread
            when (outcome) {
                is FrameOutcome.Detected -> {
                    outcome.notice?.let { Toast.makeText(this, it, Toast.LENGTH_LONG).show() }
                    show(outcome.detection, fps, frontCamera)
                }

                is FrameOutcome.Failed -> {
                    overlay.setPose(null, 0, 0, false)
                    showMessage(getString(R.string.model_error, outcome.message), null)
                    showingModelFailure = true
                }

                FrameOutcome.Paused -> Unit
            }
        }
    }

    private fun show(detection: Detection, fps: Double, frontCamera: Boolean) {
        // No pose (nobody found in this frame): the overlay draws nothing.
        overlay.setPose(detection.pose, detection.frameWidth, detection.frameHeight, frontCamera)
        val who = if (detection.pose != null) {
            getString(R.string.person_found, detection.person.score)
        } else {
            getString(R.string.nobody_found)
        }
        status.text = getString(
            R.string.status,
            fps,
            detection.inferenceMillis,
            detection.totalMillis,
            detection.accelerator,
            detection.modelRuns,
            who
        )
    }

    private fun showCameraProblem(problem: String?) {
        if (problem == null) {
            if (!showingModelFailure) hideMessage()
        } else {
            showMessage(getString(R.string.camera_error, problem), null)
        }
    }

    private fun clearModelFailure() {
        if (showingModelFailure) {
            showingModelFailure = false
            hideMessage()
        }
    }

    private fun setUpThreshold(initial: Float) {
        thresholdBar.max = THRESHOLD_STEPS
        thresholdBar.progress = (initial * THRESHOLD_STEPS).roundToInt()
        applyThreshold(initial)
        thresholdBar.setOnSeekBarChangeListener(
            object : SeekBar.OnSeekBarChangeListener {
                override fun onProgressChanged(bar: SeekBar?, progress: Int, fromUser: Boolean) {
                    applyThreshold(progress.toFloat() / THRESHOLD_STEPS)
                }

                override fun onStartTrackingTouch(bar: SeekBar?) = Unit

                override fun onStopTrackingTouch(bar: SeekBar?) = Unit
            }
        )
    }

    private fun applyThreshold(value: Float) {
        overlay.threshold = value
        thresholdLabel.text = getString(R.string.threshold_label, value)
    }

    /** Shows [text]; with [button] a button of that label that runs [action]. */
    private fun showMessage(text: String, button: String?, action: (() -> Unit)? = null) {
        message.text = text
        message.visibility = View.VISIBLE
        buttonAction = action
        actionButton.text = button ?: ""
        actionButton.visibility = if (button != null) View.VISIBLE else View.GONE
    }

    private fun hideMessage() {
        message.visibility = View.GONE
        actionButton.visibility = View.GONE
        buttonAction = null
    }

    /** Edge-to-edge (enforced from Android 15): pad the controls, not the preview, by the system bars. */
    private fun keepControlsClearOfSystemBars() {
        val controls = findViewById<View>(R.id.controls)
        ViewCompat.setOnApplyWindowInsetsListener(controls) { view, insets ->
            val bars = insets.getInsets(WindowInsetsCompat.Type.systemBars() or WindowInsetsCompat.Type.displayCutout())
            view.setPadding(bars.left, bars.top, bars.right, bars.bottom)
            insets
        }
    }

    override fun onSaveInstanceState(outState: Bundle) {
        super.onSaveInstanceState(outState)
        outState.putBoolean(KEY_GPU, model.useGpu)
        // The lens in use, not the one last asked for: a device without that lens would show no camera.
        camera?.let { outState.putString(KEY_LENS, it.lens.name) }
        outState.putFloat(KEY_THRESHOLD, overlay.threshold)
        if (::permission.isInitialized) outState.putBoolean(KEY_PERMISSION_ASKED, permission.requestInFlight)
    }

    private companion object {
        const val TAG = "PoseCamera"
        const val THRESHOLD_STEPS = 100
        const val KEY_GPU = "gpu"
        const val KEY_LENS = "lens"
        const val KEY_THRESHOLD = "threshold"
        const val KEY_PERMISSION_ASKED = "permission_asked"
    }
}
