package dev.posepipeline.app.camera

import java.nio.ByteBuffer

/** Test helper: synthetic camera frames holding a known upright RGB picture. */
object Frames {
    /**
     * An RGBA frame in sensor orientation whose upright view (turned clockwise by [rotation]) is
     * the RGB HWC picture [rgb] of [width] x [height]; each row padded by [rowPadding] bytes.
     */
    fun sensorFrame(rgb: ByteArray, width: Int, height: Int, rotation: Int, rowPadding: Int = 0): RgbaFrame {
        val quarter = rotation == 90 || rotation == 270
        val sensorWidth = if (quarter) height else width
        val sensorHeight = if (quarter) width else height
        val geometry = FrameGeometry(sensorWidth, sensorHeight, rotation, 1, 1)
        val rowStride = sensorWidth * 4 + rowPadding
        val buffer = ByteBuffer.allocateDirect(rowStride * sensorHeight)
        for (y in 0 until height) {
            for (x in 0 until width) {
                val offset = geometry.sensorY(x, y) * rowStride + geometry.sensorX(x, y) * 4
                for (channel in 0 until 3) buffer.put(offset + channel, rgb[(y * width + x) * 3 + channel])
                buffer.put(offset + 3, -1)
            }
        }
        return RgbaFrame(buffer, sensorWidth, sensorHeight, rowStride)
    }

    /** [rgb] (HWC, [width] x [height]) with every pixel repeated [factor] x [factor] times. */
    fun upscale(rgb: ByteArray, width: Int, height: Int, factor: Int): ByteArray {
        val out = ByteArray(rgb.size * factor * factor)
        for (y in 0 until height * factor) {
            for (x in 0 until width * factor) {
                for (channel in 0 until 3) {
                    out[(y * width * factor + x) * 3 + channel] = rgb[((y / factor) * width + x / factor) * 3 + channel]
                }
            }
        }
        return out
    }
}
