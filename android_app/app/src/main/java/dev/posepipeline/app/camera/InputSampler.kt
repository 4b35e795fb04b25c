package dev.posepipeline.app.camera

import dev.posepipeline.app.ml.InputSpec
import dev.posepipeline.app.ml.TensorType
import java.nio.ByteBuffer
import kotlin.math.ceil
import kotlin.math.floor

/**
 * Fills the model input tensor from a camera frame: rotate upright, letterbox, RGB, HWC.
 *
 * Each input pixel averages the upright-frame pixels whose centres fall inside its footprint
 * (a box filter, close to OpenCV's `INTER_AREA` that `pose/predict.py` uses), or takes the
 * nearest pixel when upscaling. Input pixels whose centre lies beyond the frame are the black
 * letterbox padding. [FrameGeometry.inputToUpright] is the exact inverse of this placement.
 *
 * Works on one frame size at a time; the per-column and per-row footprints are cached for it.
 */
class InputSampler(private val spec: InputSpec) {
    private var cachedGeometry: FrameGeometry? = null
    private var columnStart = IntArray(0)
    private var columnEnd = IntArray(0)
    private var rowStart = IntArray(0)
    private var rowEnd = IntArray(0)

    /**
     * Writes `spec.height x spec.width x 3` values for [frame] into [input] from its position 0
     * (uint8 0..255, or float32 0..255 in the buffer's byte order) and rewinds it.
     */
    fun fill(frame: RgbaFrame, geometry: FrameGeometry, input: ByteBuffer) {
        require(geometry.sensorWidth == frame.width && geometry.sensorHeight == frame.height) {
            "Geometry is for ${geometry.sensorWidth} x ${geometry.sensorHeight}, frame is ${frame.width} x ${frame.height}"
        }
        require(geometry.inputWidth == spec.width && geometry.inputHeight == spec.height) {
            "Geometry is for another input size"
        }
        require(input.capacity() >= spec.byteCount) {
            "Input buffer holds ${input.capacity()} bytes, needs ${spec.byteCount}"
        }
        prepare(geometry)
        val pixels = frame.pixels
        val float = spec.type == TensorType.FLOAT32
        input.clear()
        for (v in 0 until spec.height) {
            for (u in 0 until spec.width) {
                var red = 0
                var green = 0
                var blue = 0
                var count = 0
                for (y in rowStart[v] until rowEnd[v]) {
                    for (x in columnStart[u] until columnEnd[u]) {
                        val offset = frame.offset(geometry.sensorX(x, y), geometry.sensorY(x, y))
                        red += pixels.get(offset).toInt() and 0xFF
                        green += pixels.get(offset + 1).toInt() and 0xFF
                        blue += pixels.get(offset + 2).toInt() and 0xFF
                        count++
                    }
                }
                if (count > 0) {
                    // Rounded mean, so identical source pixels reproduce themselves exactly.
                    red = (red + count / 2) / count
                    green = (green + count / 2) / count
                    blue = (blue + count / 2) / count
                }
                if (float) {
                    input.putFloat(red.toFloat()).putFloat(green.toFloat()).putFloat(blue.toFloat())
                } else {
                    input.put(red.toByte()).put(green.toByte()).put(blue.toByte())
                }
            }
        }
        input.rewind()
    }

    private fun prepare(geometry: FrameGeometry) {
        val cached = cachedGeometry
        val same = cached != null && cached.sensorWidth == geometry.sensorWidth &&
            cached.sensorHeight == geometry.sensorHeight && cached.rotationDegrees == geometry.rotationDegrees
        if (same) return
        columnStart = IntArray(spec.width)
        columnEnd = IntArray(spec.width)
        footprints(geometry.zoom, geometry.uprightWidth, columnStart, columnEnd)
        rowStart = IntArray(spec.height)
        rowEnd = IntArray(spec.height)
        footprints(geometry.zoom, geometry.uprightHeight, rowStart, rowEnd)
        cachedGeometry = geometry
    }

    /**
     * For each input index `u` along one axis, the half-open range of upright-frame indices it
     * averages; empty where `u` is letterbox padding.
     */
    private fun footprints(zoom: Double, frameSize: Int, start: IntArray, end: IntArray) {
        for (u in start.indices) {
            val centre = (u + 0.5) / zoom // frame position of the input pixel centre, pixel-edge units
            if (centre > frameSize) {
                start[u] = 0
                end[u] = 0
                continue
            }
            // Frame pixel i (centre at edge coordinate i + 0.5) belongs to u if u/zoom <= i + 0.5 < (u+1)/zoom.
            var first = ceil(u / zoom - 0.5).toInt()
            var last = ceil((u + 1) / zoom - 0.5).toInt() // exclusive
            if (last <= first) {
                first = floor(centre).toInt() // upscaling: nearest pixel
                last = first + 1
            }
            start[u] = first.coerceIn(0, frameSize - 1)
            end[u] = last.coerceIn(start[u] + 1, frameSize)
        }
    }
}
