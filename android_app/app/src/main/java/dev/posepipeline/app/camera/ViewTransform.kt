package dev.posepipeline.app.camera

import dev.posepipeline.app.data.Point

/**
 * Upright-frame pixels -> on-screen view coordinates, matching `PreviewView`'s default
 * `FILL_CENTER` scale type: the frame is scaled uniformly to cover the view and centred, the
 * overflow cropped. With [mirrored] (front camera) the result is flipped left-right, as the
 * preview of a front camera is.
 *
 * View coordinates are Android canvas coordinates: continuous, (0, 0) the top-left corner of the
 * view, so the upright pixel centre `x` sits at `(x + 0.5) * scale + offsetX`.
 *
 * This assumes the analysed frame shows the same field of view as the preview; the camera code
 * asks for the same aspect ratio for both use cases for that reason.
 *
 * @property frameWidth upright frame width, pixels.
 * @property frameHeight upright frame height, pixels.
 * @property viewWidth view width, view pixels.
 * @property viewHeight view height, view pixels.
 * @property mirrored whether the preview is mirrored (front camera).
 * @property fill true: `FILL_CENTER` (cover the view, crop the overflow), as the camera preview;
 *   false: `FIT_CENTER` (the whole frame inside the view, bars beside it), as a gallery photo is shown.
 */
class ViewTransform(
    val frameWidth: Int,
    val frameHeight: Int,
    val viewWidth: Int,
    val viewHeight: Int,
    val mirrored: Boolean,
    val fill: Boolean = true
) {
    init {
        require(frameWidth > 0 && frameHeight > 0) { "Empty frame $frameWidth x $frameHeight" }
    }

    /** View pixels per frame pixel. */
    val scale: Float = if (fill) {
        maxOf(viewWidth.toFloat() / frameWidth, viewHeight.toFloat() / frameHeight)
    } else {
        minOf(viewWidth.toFloat() / frameWidth, viewHeight.toFloat() / frameHeight)
    }

    private val offsetX = (viewWidth - frameWidth * scale) / 2f
    private val offsetY = (viewHeight - frameHeight * scale) / 2f

    /** Upright-frame point -> view point. */
    fun frameToView(point: Point): Point {
        val x = (point.x + 0.5f) * scale + offsetX
        val y = (point.y + 0.5f) * scale + offsetY
        return Point(if (mirrored) viewWidth - x else x, y)
    }

    /** View point -> upright-frame point; inverse of [frameToView]. */
    fun viewToFrame(point: Point): Point {
        val x = if (mirrored) viewWidth - point.x else point.x
        return Point((x - offsetX) / scale - 0.5f, (point.y - offsetY) / scale - 0.5f)
    }
}
