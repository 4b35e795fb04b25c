package dev.posepipeline.app.session

import kotlin.math.max
import kotlin.math.roundToInt
import kotlin.math.roundToLong

/**
 * Plain arithmetic of photos and videos from the gallery, run through the same detector as the
 * camera: which video frames to take, and how large to decode a picture.
 */
object MediaFrames {
    /**
     * Times (microseconds, from 0) of the video frames to run the detector on: one every
     * `1 / fps` seconds over [durationMicros], the first at 0. A video of unknown or zero length
     * gives its first frame only.
     */
    fun videoFrameTimes(durationMicros: Long, fps: Double): List<Long> {
        require(fps > 0) { "fps must be positive, got $fps" }
        if (durationMicros <= 0) return listOf(0L)
        val step = 1e6 / fps
        val count = (durationMicros / step).toLong() + 1
        return (0 until count).map { (it * step).roundToLong() }.filter { it < durationMicros || it == 0L }
    }

    /**
     * The size to decode a [width] x [height] picture at so that its longer side is at most
     * [maxSide] pixels (aspect kept; never enlarged). The model sees 128 pixels: a 12-megapixel
     * photo decoded whole would only cost memory.
     */
    fun fitWithin(width: Int, height: Int, maxSide: Int): Pair<Int, Int> {
        require(width > 0 && height > 0 && maxSide > 0) { "Sizes must be positive: $width x $height, max $maxSide" }
        val longer = max(width, height)
        if (longer <= maxSide) return Pair(width, height)
        val scale = maxSide.toDouble() / longer
        return Pair(max(1, (width * scale).roundToInt()), max(1, (height * scale).roundToInt()))
    }
}
