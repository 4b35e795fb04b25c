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

    /**
     * The [cropWidth] x [cropHeight] part of this frame whose top-left pixel is ([left], [top]),
     * sensor orientation, sharing this frame's bytes. CameraX's `ImageProxy.cropRect` (set by a
     * `ViewPort`) is the part of the frame the preview shows.
     */
    fun cropped(left: Int, top: Int, cropWidth: Int, cropHeight: Int): RgbaFrame {
        require(
            left >= 0 && top >= 0 && cropWidth > 0 && cropHeight > 0 && left + cropWidth <= width &&
                top + cropHeight <= height
        ) {
            "Crop $cropWidth x $cropHeight at ($left, $top) is not inside the $width x $height frame"
        }
        if (left == 0 && top == 0 && cropWidth == width && cropHeight == height) return this
        val start = offset(left, top)
        val view = pixels.duplicate()
        view.limit(start + (cropHeight - 1) * rowStride + cropWidth * pixelStride)
        view.position(start)
        return RgbaFrame(view.slice(), cropWidth, cropHeight, rowStride, pixelStride)
    }
}
