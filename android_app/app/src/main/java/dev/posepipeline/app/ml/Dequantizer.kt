package dev.posepipeline.app.ml

import java.nio.ByteBuffer

/**
 * Raw output tensor -> [Heatmaps]: `value = (raw - zeroPoint) * scale`, in float32 as the Python
 * side (`pose.golden`, `pose.export.LiteModel`) computes it.
 */
object Dequantizer {
    /**
     * Reads [spec]`.elementCount` elements from [raw], starting at its position, into [into]
     * (which is returned). Float buffers must be in the buffer's byte order already.
     */
    fun dequantize(raw: ByteBuffer, spec: OutputSpec, into: FloatArray = FloatArray(spec.elementCount)): FloatArray {
        require(into.size == spec.elementCount) { "Need room for ${spec.elementCount} values, got ${into.size}" }
        require(raw.remaining() >= spec.byteCount) {
            "Output holds ${raw.remaining()} bytes, expected ${spec.byteCount}"
        }
        val start = raw.position()
        val scale = spec.scale
        val zeroPoint = spec.zeroPoint
        when (spec.type) {
            TensorType.UINT8 -> for (i in into.indices) {
                into[i] = ((raw.get(start + i).toInt() and 0xFF) - zeroPoint) * scale
            }

            TensorType.INT8 -> for (i in into.indices) {
                into[i] = (raw.get(start + i).toInt() - zeroPoint) * scale
            }

            TensorType.FLOAT32 -> for (i in into.indices) {
                into[i] = (raw.getFloat(start + 4 * i) - zeroPoint) * scale
            }
        }
        return into
    }

    /** [dequantize] into a fresh [Heatmaps]. */
    fun heatmaps(raw: ByteBuffer, spec: OutputSpec): Heatmaps =
        Heatmaps(spec.height, spec.width, spec.joints, dequantize(raw, spec))
}
