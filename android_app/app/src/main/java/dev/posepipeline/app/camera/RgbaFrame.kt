package dev.posepipeline.app.camera

import java.nio.ByteBuffer

/**
 * One camera frame as CameraX's `OUTPUT_IMAGE_FORMAT_RGBA_8888` delivers it: a single plane,
 * 8 bits per channel in R, G, B, A order, in sensor orientation (not yet rotated upright).
 *
 * @property pixels the plane; pixel (x, y) starts at byte `y * rowStride + x * pixelStride`.
 * @property width frame width in sensor orientation, pixels.
 * @property height frame height in sensor orientation, pixels.
 * @property rowStride bytes from one row to the next (may exceed `width * pixelStride`).
 * @property pixelStride bytes from one pixel to the next (4 for RGBA_8888).
 */
class RgbaFrame(val pixels: ByteBuffer, val width: Int, val height: Int, val rowStride: Int, val pixelStride: Int = 4) {
    init {
        require(width > 0 && height > 0) { "Empty frame $width x $height" }
        require(pixelStride >= 4 && rowStride >= width * pixelStride) {
            "Strides too small for RGBA: row $rowStride, pixel $pixelStride, width $width"
        }
        require(pixels.capacity() >= (height - 1) * rowStride + width * pixelStride) {
            "Buffer of ${pixels.capacity()} bytes is too small for $width x $height with row stride $rowStride"
        }
    }

    /** Byte offset of pixel ([x], [y]), sensor orientation. */
    fun offset(x: Int, y: Int): Int = y * rowStride + x * pixelStride
}
