package dev.posepipeline.app.camera

import dev.posepipeline.app.data.Point

/**
 * How a camera frame becomes the model input, and how model-input points map back.
 *
 * Three images are involved, all with the pixel-centre convention of [Point]:
 * - the **sensor** frame, as the camera delivers it ([sensorWidth] x [sensorHeight]);
 * - the **upright** frame: the sensor frame turned clockwise by [rotationDegrees] (CameraX's
 *   `ImageInfo.rotationDegrees`), i.e. the picture as the preview shows it, before any
 *   front-camera mirroring ([uprightWidth] x [uprightHeight]);
 * - the **input**: a crop of the upright frame ([CropAffine]): the whole frame letterboxed into
 *   the model input ([letterbox], like `pose.inference.photo.letterbox`: scaled by [zoom] so the
 *   whole frame fits, anchored top-left, the right/bottom remainder black), or a crop around
 *   the person (`pose.inference.person`).
 *
 * The model sees the unmirrored picture even for the front camera, so its left/right labels
 * stay anatomically right; mirroring is a display matter (see [ViewTransform]).
 *
 * @property sensorWidth sensor-orientation frame width, pixels.
 * @property sensorHeight sensor-orientation frame height, pixels.
 * @property rotationDegrees clockwise rotation that makes the frame upright: 0, 90, 180 or 270.
 * @property inputWidth model input width, pixels.
 * @property inputHeight model input height, pixels.
 */
class FrameGeometry(
    val sensorWidth: Int,
    val sensorHeight: Int,
    val rotationDegrees: Int,
    val inputWidth: Int,
    val inputHeight: Int
) {
    init {
        require(rotationDegrees == 0 || rotationDegrees == 90 || rotationDegrees == 180 || rotationDegrees == 270) {
            "rotationDegrees must be 0, 90, 180 or 270, got $rotationDegrees"
        }
        require(sensorWidth > 0 && sensorHeight > 0 && inputWidth > 0 && inputHeight > 0) {
            "Sizes must be positive: frame $sensorWidth x $sensorHeight, input $inputWidth x $inputHeight"
        }
    }

    private val quarterTurn = rotationDegrees == 90 || rotationDegrees == 270

    /** Upright frame width, pixels. */
    val uprightWidth: Int = if (quarterTurn) sensorHeight else sensorWidth

    /** Upright frame height, pixels. */
    val uprightHeight: Int = if (quarterTurn) sensorWidth else sensorHeight

    /** Model-input pixels per upright-frame pixel: the largest scale that fits the whole frame. */
    val zoom: Double = minOf(inputWidth.toDouble() / uprightWidth, inputHeight.toDouble() / uprightHeight)

    /** The letterbox as an upright frame -> input affine, the first pass of every whole-frame search. */
    val letterbox: CropAffine = CropAffine.letterbox(uprightWidth, uprightHeight, inputWidth, inputHeight)

    /** Letterboxed model-input point -> upright-frame point (pixel centres map to pixel centres). */
    fun inputToUpright(point: Point): Point =
        Point(((point.x + 0.5) / zoom - 0.5).toFloat(), ((point.y + 0.5) / zoom - 0.5).toFloat())

    /** Upright-frame point -> letterboxed model-input point; inverse of [inputToUpright]. */
    fun uprightToInput(point: Point): Point =
        Point(((point.x + 0.5) * zoom - 0.5).toFloat(), ((point.y + 0.5) * zoom - 0.5).toFloat())

    /** Upright-frame point -> sensor-frame point. */
    fun uprightToSensor(point: Point): Point = when (rotationDegrees) {
        0 -> point
        90 -> Point(point.y, sensorHeight - 1 - point.x)
        180 -> Point(sensorWidth - 1 - point.x, sensorHeight - 1 - point.y)
        else -> Point(sensorWidth - 1 - point.y, point.x)
    }

    /** Sensor-frame point -> upright-frame point; inverse of [uprightToSensor]. */
    fun sensorToUpright(point: Point): Point = when (rotationDegrees) {
        0 -> point
        90 -> Point(sensorHeight - 1 - point.y, point.x)
        180 -> Point(sensorWidth - 1 - point.x, sensorHeight - 1 - point.y)
        else -> Point(point.y, sensorWidth - 1 - point.x)
    }

    /** Sensor x of the upright pixel ([x], [y]); integer twin of [uprightToSensor] for sampling. */
    fun sensorX(x: Int, y: Int): Int = when (rotationDegrees) {
        0 -> x
        90 -> y
        180 -> sensorWidth - 1 - x
        else -> sensorWidth - 1 - y
    }

    /** Sensor y of the upright pixel ([x], [y]). */
    fun sensorY(x: Int, y: Int): Int = when (rotationDegrees) {
        0 -> y
        90 -> sensorHeight - 1 - x
        180 -> sensorHeight - 1 - y
        else -> x
    }
}
