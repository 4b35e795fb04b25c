package dev.posepipeline.app.ui

import android.Manifest
import android.content.pm.PackageManager
import android.os.Bundle
import android.util.Log
import android.view.View
import android.widget.Button
import android.widget.SeekBar
import android.widget.TextView
import androidx.activity.result.contract.ActivityResultContracts
import androidx.appcompat.app.AppCompatActivity
import androidx.appcompat.widget.SwitchCompat
import androidx.camera.view.PreviewView
import androidx.core.content.ContextCompat
import androidx.core.view.ViewCompat
import androidx.core.view.WindowInsetsCompat
import dev.posepipeline.app.R
import dev.posepipeline.app.camera.CameraController
import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.ml.Detection
import dev.posepipeline.app.ml.ModelAssets
import dev.posepipeline.app.ml.ModelSpec
import dev.posepipeline.app.ml.PoseDetector
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlin.math.roundToInt

/**
 * The single screen: camera preview, skeleton overlay, FPS and inference time, a camera switch,
 * a GPU toggle and the per-joint confidence threshold.
 *
 * Threading: CameraX delivers frames on [analysisExecutor], a single thread that also creates,
 * runs and closes the [PoseDetector] (the GPU delegate must stay on one thread); results are
 * posted to the main thread for drawing.
 */
class MainActivity : AppCompatActivity() {
    private lateinit var preview: PreviewView
    private lateinit var overlay: OverlayView
    private lateinit var status: TextView
    private lateinit var message: TextView
    private lateinit var grantButton: Button
    private lateinit var switchButton: Button
    private lateinit var gpuSwitch: SwitchCompat
    private lateinit var thresholdLabel: TextView
    private lateinit var thresholdBar: SeekBar

    private val analysisExecutor: ExecutorService = Executors.newSingleThreadExecutor()
    private var camera: CameraController? = null
    private var spec: ModelSpec? = null

    /** Set on the main thread, read by the analysis thread before each frame. */
    @Volatile private var useGpu = true

    // Owned by the analysis thread.
    private var detector: PoseDetector? = null
    private var detectorUsesGpu = false
    private var detectorFailed = false
    private val fpsMeter = FpsMeter()

    private val permissionRequest = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        if (granted) startCamera() else showMessage(getString(R.string.camera_permission_needed), offerGrant = true)
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContentView(R.layout.activity_main)
        preview = findViewById(R.id.preview)
        overlay = findViewById(R.id.overlay)
        status = findViewById(R.id.status)
        message = findViewById(R.id.message)
        grantButton = findViewById(R.id.grant)
        switchButton = findViewById(R.id.switch_camera)
        gpuSwitch = findViewById(R.id.gpu)
        thresholdLabel = findViewById(R.id.threshold_label)
        thresholdBar = findViewById(R.id.threshold)
        keepControlsClearOfSystemBars()

        val loaded = try {
            ModelAssets.loadSpec(this)
        } catch (problem: Exception) {
            Log.e(TAG, "Cannot read the model metadata", problem)
            showMessage(getString(R.string.model_error, problem.message ?: problem.toString()), offerGrant = false)
            return
        }
        spec = loaded
        overlay.setSkeleton(loaded.skeleton)
        setUpThreshold(savedInstanceState?.getFloat(KEY_THRESHOLD) ?: OverlayView.DEFAULT_THRESHOLD)

        useGpu = savedInstanceState?.getBoolean(KEY_GPU) ?: true
        gpuSwitch.isChecked = useGpu
        gpuSwitch.setOnCheckedChangeListener { _, checked -> useGpu = checked }

        val controller = CameraController(
            context = this,
            lifecycleOwner = this,
            previewView = preview,
            analysisExecutor = analysisExecutor,
            onFrame = ::onFrame,
            onError = { problem -> showMessage(getString(R.string.camera_error, problem), offerGrant = false) },
            frontCamera = savedInstanceState?.getBoolean(KEY_FRONT) ?: false
        )
        camera = controller
        switchButton.setOnClickListener {
            controller.switchCamera()
            overlay.setPose(null, 0, 0, false)
            analysisExecutor.execute {
                fpsMeter.reset()
                detector?.reset() // another camera: search the whole frame again
            }
        }
        grantButton.setOnClickListener { permissionRequest.launch(Manifest.permission.CAMERA) }

        if (ContextCompat.checkSelfPermission(this, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED) {
            startCamera()
        } else {
            permissionRequest.launch(Manifest.permission.CAMERA)
        }
    }

    private fun startCamera() {
        message.visibility = View.GONE
        grantButton.visibility = View.GONE
        camera?.start()
    }

    /**
     * Runs on the analysis thread for every frame CameraX delivers: tracks the person (a whole-frame
     * search on the first frame and after a loss, then one crop per frame around the previous
     * person) and posts the smoothed pose, or none when nobody is found, to the overlay.
     */
    private fun onFrame(frame: RgbaFrame, rotationDegrees: Int, frontCamera: Boolean, timestampNanos: Long) {
        val modelSpec = spec ?: return
        if (detectorFailed) return
        try {
            val wantGpu = useGpu
            var current = detector
            if (current == null || detectorUsesGpu != wantGpu) {
                current?.close()
                detector = null
                current = ModelAssets.createDetector(this, modelSpec, wantGpu)
                detector = current
                detectorUsesGpu = wantGpu
                fpsMeter.reset()
            }
            val detection = current.detect(frame, rotationDegrees, timestampNanos)
            val fps = fpsMeter.tick(System.nanoTime())
            runOnUiThread { show(detection, fps, frontCamera) }
        } catch (problem: Exception) {
            // A model that does not load or run (stale assets, unreadable file) will not on the
            // next frame either: stop detecting and say why.
            Log.e(TAG, "Pose detection failed", problem)
            detectorFailed = true
            runOnUiThread {
                showMessage(getString(R.string.model_error, problem.message ?: problem.toString()), offerGrant = false)
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

    private fun showMessage(text: String, offerGrant: Boolean) {
        message.text = text
        message.visibility = View.VISIBLE
        grantButton.visibility = if (offerGrant) View.VISIBLE else View.GONE
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
        outState.putBoolean(KEY_GPU, useGpu)
        outState.putBoolean(KEY_FRONT, camera?.frontCamera ?: false)
        outState.putFloat(KEY_THRESHOLD, overlay.threshold)
    }

    override fun onDestroy() {
        camera?.stop()
        // Close the detector on the thread that created it, then let the thread end.
        analysisExecutor.execute {
            detector?.close()
            detector = null
        }
        analysisExecutor.shutdown()
        super.onDestroy()
    }

    private companion object {
        const val TAG = "PoseCamera"
        const val THRESHOLD_STEPS = 100
        const val KEY_GPU = "gpu"
        const val KEY_FRONT = "front"
        const val KEY_THRESHOLD = "threshold"
    }
}
