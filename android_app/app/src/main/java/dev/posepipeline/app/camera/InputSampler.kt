package dev.posepipeline.app.camera

import dev.posepipeline.app.ml.InputSpec
import dev.posepipeline.app.ml.TensorType
import java.nio.ByteBuffer
import kotlin.math.ceil
import kotlin.math.floor

/**
 * Fills the model input tensor from a camera frame: rotate upright, take a crop ([CropAffine]:
 * the letterboxed whole frame or a crop around the person), RGB, HWC.
 *
 * Shrinking (zoom up to 1), each input pixel averages the upright-frame pixels whose centres fall
 * inside its footprint (a box filter, close to OpenCV's `INTER_AREA`, which the Python side uses
 * for the letterbox and for crops shrunk more than twofold). Enlarging (zoom above 1, a person
 * small in the frame), each input pixel is interpolated bilinearly between the four nearest frame
 * pixels, as `cv2.warpAffine` in `pose.inference.person.sample_crop`. Whatever falls outside the
 * frame is black: the letterbox padding, or the part of a crop beyond the frame's edge.
 * [CropAffine.inputToFrameX] / [CropAffine.inputToFrameY] are the exact inverse of this placement.
 */
class InputSampler(private val spec: InputSpec) {
    // Box filter: the half-open range of upright-frame indices each input column / row averages.
    private val columnStart = IntArray(spec.width)
    private val columnEnd = IntArray(spec.width)
    private val rowStart = IntArray(spec.height)
    private val rowEnd = IntArray(spec.height)

    // Bilinear: the frame index left of / above each input pixel centre, and the weight of the next one.
    private val columnIndex = IntArray(spec.width)
    private val columnFraction = DoubleArray(spec.width)
    private val rowIndex = IntArray(spec.height)
    private val rowFraction = DoubleArray(spec.height)

    /** The whole frame letterboxed into the input ([FrameGeometry.letterbox]); see the other [fill]. */
    fun fill(frame: RgbaFrame, geometry: FrameGeometry, input: ByteBuffer) =
        fill(frame, geometry, geometry.letterbox, input)

    /**
     * Writes `spec.height x spec.width x 3` values of the crop [crop] (upright frame -> input) of
     * [frame] into [input] from its position 0 (uint8 0..255, or float32 0..255 in the buffer's
     * byte order) and rewinds it.
     */
    fun fill(frame: RgbaFrame, geometry: FrameGeometry, crop: CropAffine, input: ByteBuffer) {
        require(geometry.sensorWidth == frame.width && geometry.sensorHeight == frame.height) {
            "Geometry is for ${geometry.sensorWidth} x ${geometry.sensorHeight}, frame is ${frame.width} x ${frame.height}"
        }
        require(geometry.inputWidth == spec.width && geometry.inputHeight == spec.height) {
            "Geometry is for another input size"
        }
        require(input.capacity() >= spec.byteCount) {
            "Input buffer holds ${input.capacity()} bytes, needs ${spec.byteCount}"
        }
        input.clear()
        if (crop.zoom > 1.0) enlarge(frame, geometry, crop, input) else shrink(frame, geometry, crop, input)
        input.rewind()
    }

    /**
     * Mirrors the filled [input] left to right in place: each row's pixels (all channels, whatever
     * the element type) in reverse order, as numpy's `image[:, ::-1]` for the finder's mirrored
     * pass. Leaves the buffer rewound.
     */
    fun mirror(input: ByteBuffer) {
        val pixelBytes = spec.channels * spec.type.bytes
        val rowBytes = spec.width * pixelBytes
        for (row in 0 until spec.height) {
            var left = row * rowBytes
            var right = left + rowBytes - pixelBytes
            while (left < right) {
                for (offset in 0 until pixelBytes) {
                    val swap = input.get(left + offset)
                    input.put(left + offset, input.get(right + offset))
                    input.put(right + offset, swap)
                }
                left += pixelBytes
                right -= pixelBytes
            }
        }
        input.rewind()
    }

    private fun shrink(frame: RgbaFrame, geometry: FrameGeometry, crop: CropAffine, input: ByteBuffer) {
        footprints(crop.zoom, crop.shiftX, geometry.uprightWidth, columnStart, columnEnd)
        footprints(crop.zoom, crop.shiftY, geometry.uprightHeight, rowStart, rowEnd)
        val pixels = frame.pixels
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
                put(input, red, green, blue)
            }
        }
    }

    private fun enlarge(frame: RgbaFrame, geometry: FrameGeometry, crop: CropAffine, input: ByteBuffer) {
        neighbours(crop.zoom, crop.shiftX, columnIndex, columnFraction)
        neighbours(crop.zoom, crop.shiftY, rowIndex, rowFraction)
        val width = geometry.uprightWidth
        val height = geometry.uprightHeight
        val pixels = frame.pixels
        for (v in 0 until spec.height) {
            for (u in 0 until spec.width) {
                var red = 0.0
                var green = 0.0
                var blue = 0.0
                for (dy in 0..1) {
                    val y = rowIndex[v] + dy
                    val weightY = if (dy == 0) 1.0 - rowFraction[v] else rowFraction[v]
                    if (y < 0 || y >= height || weightY == 0.0) continue
                    for (dx in 0..1) {
                        val x = columnIndex[u] + dx
                        val weight = weightY * if (dx == 0) 1.0 - columnFraction[u] else columnFraction[u]
                        if (x < 0 || x >= width || weight == 0.0) continue // outside the frame: black
                        val offset = frame.offset(geometry.sensorX(x, y), geometry.sensorY(x, y))
                        red += weight * (pixels.get(offset).toInt() and 0xFF)
                        green += weight * (pixels.get(offset + 1).toInt() and 0xFF)
                        blue += weight * (pixels.get(offset + 2).toInt() and 0xFF)
                    }
                }
                put(input, rounded(red), rounded(green), rounded(blue))
            }
        }
    }

    private fun put(input: ByteBuffer, red: Int, green: Int, blue: Int) {
        if (spec.type == TensorType.FLOAT32) {
            input.putFloat(red.toFloat()).putFloat(green.toFloat()).putFloat(blue.toFloat())
        } else {
            input.put(red.toByte()).put(green.toByte()).put(blue.toByte())
        }
    }

    private fun rounded(value: Double): Int = (value + 0.5).toInt().coerceIn(0, 255)

    private companion object {
        /** Slack for floating-point noise when a frame pixel centre lies exactly on a footprint edge. */
        const val EDGE_SLACK = 1e-9

        /**
         * For each input index `u` along one axis, the half-open range of upright-frame indices it
         * averages, for `input = zoom * frame + shift`; empty where `u`'s centre lies outside the
         * frame (letterbox padding, or a crop beyond the frame's edge).
         */
        fun footprints(zoom: Double, shift: Double, frameSize: Int, start: IntArray, end: IntArray) {
            // In pixel-edge coordinates (a pixel centre at i + 0.5): inputEdge = zoom * frameEdge + offset.
            val offset = shift + 0.5 - 0.5 * zoom
            for (u in start.indices) {
                val centre = (u + 0.5 - offset) / zoom // frame position of the input pixel centre, pixel-edge units
                if (centre < 0.0 || centre > frameSize) {
                    start[u] = 0
                    end[u] = 0
                    continue
                }
                // Frame pixel i belongs to u if (u - offset) / zoom <= i + 0.5 < (u + 1 - offset) / zoom.
                var first = ceil((u - offset) / zoom - 0.5 - EDGE_SLACK).toInt()
                var last = ceil((u + 1 - offset) / zoom - 0.5 - EDGE_SLACK).toInt() // exclusive
                if (last <= first) {
                    first = floor(centre).toInt() // a footprint narrower than a pixel: the nearest one
                    last = first + 1
                }
                start[u] = first.coerceIn(0, frameSize - 1)
                end[u] = last.coerceIn(start[u] + 1, frameSize)
            }
        }

        /** For each input index along one axis, the frame pixel at or before its centre and the distance past it. */
        fun neighbours(zoom: Double, shift: Double, index: IntArray, fraction: DoubleArray) {
            for (u in index.indices) {
                val position = (u - shift) / zoom // frame pixel-centre coordinates
                val before = floor(position)
                index[u] = before.toInt()
                fraction[u] = position - before
            }
        }
    }
}
