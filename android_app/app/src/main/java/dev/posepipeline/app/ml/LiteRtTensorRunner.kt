package dev.posepipeline.app.ml

import android.content.Context
import android.util.Log
import java.io.FileInputStream
import java.nio.ByteBuffer
import java.nio.MappedByteBuffer
import java.nio.channels.FileChannel
import kotlin.math.abs
import org.tensorflow.lite.DataType
import org.tensorflow.lite.Interpreter
import org.tensorflow.lite.gpu.CompatibilityList
import org.tensorflow.lite.gpu.GpuDelegate
import org.tensorflow.lite.gpu.GpuDelegateFactory

/**
 * Runs `pose_model.tflite` with the LiteRT interpreter, on the GPU delegate when asked for and
 * available, else on the CPU (XNNPACK). Checks at load time that the model's tensors are what
 * `pose_model.json` says, so a stale pair of assets fails with a clear message.
 *
 * Create, use and close it on one thread: the GPU delegate is bound to the thread that created it.
 * A failure while running throws; [dev.posepipeline.app.session.DetectorSession] then replaces a
 * GPU runner by a CPU one.
 *
 * @param context any context, for the assets.
 * @param spec the metadata the model must match.
 * @param useGpu try the GPU delegate first.
 * @param cpuThreads interpreter threads on the CPU path.
 */
class LiteRtTensorRunner(context: Context, private val spec: ModelSpec, useGpu: Boolean, cpuThreads: Int = 4) :
    TensorRunner {
    private val interpreter: Interpreter
    private var gpuDelegate: GpuDelegate? = null

    override val accelerator: String

    init {
        val model = mapAsset(context, MODEL_ASSET)
        var gpuInterpreter: Interpreter? = null
        if (useGpu) {
            gpuInterpreter = tryGpu(model, cpuThreads)
        }
        if (gpuInterpreter != null) {
            interpreter = gpuInterpreter
            accelerator = "GPU"
        } else {
            interpreter = Interpreter(model, Interpreter.Options().setNumThreads(cpuThreads))
            accelerator = "CPU"
        }
        try {
            checkTensors()
        } catch (problem: IllegalStateException) {
            close()
            throw problem
        }
    }

    /** An interpreter on the GPU delegate, or null (with the reason logged) when that fails. */
    private fun tryGpu(model: MappedByteBuffer, cpuThreads: Int): Interpreter? {
        var delegate: GpuDelegate? = null
        try {
            val options = CompatibilityList().use { compatibility ->
                if (compatibility.isDelegateSupportedOnThisDevice) compatibility.bestOptionsForThisDevice else null
            }
            if (options == null) {
                Log.i(TAG, "GPU delegate not supported on this device; using the CPU")
                return null
            }
            // A camera stream runs the model on every frame: prefer throughput over start-up time.
            options.setInferencePreference(GpuDelegateFactory.Options.INFERENCE_PREFERENCE_SUSTAINED_SPEED)
            val created = GpuDelegate(options)
            delegate = created
            // Ops the delegate cannot take run on the CPU: give them the same threads as the CPU path.
            val gpu = Interpreter(model, Interpreter.Options().addDelegate(created).setNumThreads(cpuThreads))
            gpuDelegate = created
            return gpu
        } catch (problem: Exception) {
            // Missing OpenCL/GL drivers or ops the delegate cannot run surface here.
            Log.w(TAG, "GPU delegate failed, using the CPU", problem)
        } catch (problem: LinkageError) {
            // litert-gpu's native library missing for this ABI.
            Log.w(TAG, "GPU delegate library not loadable, using the CPU", problem)
        }
        delegate?.close()
        return null
    }

    private fun checkTensors() {
        val input = interpreter.getInputTensor(0)
        val output = interpreter.getOutputTensor(0)
        val expectedInput = intArrayOf(1, spec.input.height, spec.input.width, spec.input.channels)
        val expectedOutput = intArrayOf(1, spec.output.height, spec.output.width, spec.output.joints)
        check(input.shape().contentEquals(expectedInput) && input.dataType() == dataType(spec.input.type)) {
            "$MODEL_ASSET input is ${input.shape().contentToString()} ${input.dataType()}, " +
                "but ${ModelSpec.FILE_NAME} says ${expectedInput.contentToString()} ${spec.input.type.jsonName}: " +
                STALE_ASSETS
        }
        check(output.shape().contentEquals(expectedOutput) && output.dataType() == dataType(spec.output.type)) {
            "$MODEL_ASSET output is ${output.shape().contentToString()} ${output.dataType()}, " +
                "but ${ModelSpec.FILE_NAME} says ${expectedOutput.contentToString()} ${spec.output.type.jsonName}: " +
                STALE_ASSETS
        }
        if (spec.output.type != TensorType.FLOAT32) {
            val quantization = output.quantizationParams()
            check(
                abs(quantization.scale - spec.output.scale) <= 1e-6f * spec.output.scale &&
                    quantization.zeroPoint == spec.output.zeroPoint
            ) {
                "$MODEL_ASSET output quantisation is scale ${quantization.scale}, " +
                    "zero point ${quantization.zeroPoint}, but ${ModelSpec.FILE_NAME} says " +
                    "${spec.output.scale}, ${spec.output.zeroPoint}: $STALE_ASSETS"
            }
        }
    }

    override fun run(input: ByteBuffer, output: ByteBuffer) {
        input.rewind()
        output.rewind()
        interpreter.run(input, output)
    }

    override fun close() {
        interpreter.close()
        gpuDelegate?.close()
        gpuDelegate = null
    }

    companion object {
        /** The model file the deploy stage writes into the assets. */
        const val MODEL_ASSET = "pose_model.tflite"

        private const val TAG = "LiteRtTensorRunner"
        private const val STALE_ASSETS = "re-run the pipeline's deploy stage so both files come from the same model"

        private fun dataType(type: TensorType): DataType = when (type) {
            TensorType.UINT8 -> DataType.UINT8
            TensorType.INT8 -> DataType.INT8
            TensorType.FLOAT32 -> DataType.FLOAT32
        }

        /**
         * Memory-maps an asset. This is why the build keeps `.tflite` uncompressed
         * (`androidResources.noCompress`): compressed assets have no file offset to map.
         */
        private fun mapAsset(context: Context, name: String): MappedByteBuffer =
            context.assets.openFd(name).use { descriptor ->
                FileInputStream(descriptor.fileDescriptor).use { stream ->
                    stream.channel.map(FileChannel.MapMode.READ_ONLY, descriptor.startOffset, descriptor.declaredLength)
                }
            }
    }
}
