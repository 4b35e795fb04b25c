package dev.posepipeline.app.camera

import dev.posepipeline.app.data.Point

/**
 * An axis-aligned map from upright-frame pixels to model-input pixels, `input = zoom * frame + shift`
 * on each axis: the 2 x 3 affine `[[zoom, 0, shiftX], [0, zoom, shiftY]]` that `pose/data/crop.py`
 * and `pose/inference/person.py` use. Pixel centres sit at integer coordinates on both sides.
 *
 * Two kinds are used: the whole frame letterboxed into the input ([letterbox]) and a crop around
 * a person ([around]).
 *
 * @property zoom model-input pixels per frame pixel.
 * @property shiftX input x of frame x = 0.
 * @property shiftY input y of frame y = 0.
 */
data class CropAffine(val zoom: Double, val shiftX: Double, val shiftY: Double) {
    init {
        require(zoom > 0.0 && zoom.isFinite() && shiftX.isFinite() && shiftY.isFinite()) {
            "Not a usable crop: zoom $zoom, shift ($shiftX, $shiftY)"
        }
    }

    /** Frame x -> input x. */
    fun frameToInputX(x: Double): Double = zoom * x + shiftX

    /** Frame y -> input y. */
    fun frameToInputY(y: Double): Double = zoom * y + shiftY

    /** Input x -> frame x; inverse of [frameToInputX]. */
    fun inputToFrameX(x: Double): Double = (x - shiftX) / zoom

    /** Input y -> frame y; inverse of [frameToInputY]. */
    fun inputToFrameY(y: Double): Double = (y - shiftY) / zoom

    /** Frame point -> input point. */
    fun frameToInput(point: Point): Point =
        Point(frameToInputX(point.x.toDouble()).toFloat(), frameToInputY(point.y.toDouble()).toFloat())

    /** Input point -> frame point. */
    fun inputToFrame(point: Point): Point =
        Point(inputToFrameX(point.x.toDouble()).toFloat(), inputToFrameY(point.y.toDouble()).toFloat())

    /**
     * The frame region this map shows on an [inputWidth] x [inputHeight] input, as pixel edges
     * `[x0, y0, x1, y1]` (`pose.inference.person.crop_window`).
     */
    fun window(inputWidth: Int, inputHeight: Int): DoubleArray = doubleArrayOf(
        inputToFrameX(-0.5),
        inputToFrameY(-0.5),
        inputToFrameX(inputWidth - 0.5),
        inputToFrameY(inputHeight - 0.5)
    )

    /**
     * Intersection over union of the frame regions this map and [other] show on the same input
     * (`_overlap` of two `crop_window`s in Python): 1 for the same crop, 0 for disjoint ones.
     */
    fun overlap(other: CropAffine, inputWidth: Int, inputHeight: Int): Double {
        val a = window(inputWidth, inputHeight)
        val b = other.window(inputWidth, inputHeight)
        val width = maxOf(minOf(a[2], b[2]) - maxOf(a[0], b[0]), 0.0)
        val height = maxOf(minOf(a[3], b[3]) - maxOf(a[1], b[1]), 0.0)
        val intersection = width * height
        val union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection
        return if (union > 0.0) intersection / union else 0.0
    }

    /** The 2 x 3 matrix, row-major, as Python writes it: `[zoom, 0, shiftX, 0, zoom, shiftY]`. */
    fun toArray(): DoubleArray = doubleArrayOf(zoom, 0.0, shiftX, 0.0, zoom, shiftY)

    companion object {
        /**
         * The whole [frameWidth] x [frameHeight] frame fitted into the input, longer side first,
         * anchored top-left (padding right/bottom), as `pose.inference.photo.letterbox`: pixel
         * edges scale, so `input = (frame + 0.5) * zoom - 0.5`.
         */
        fun letterbox(frameWidth: Int, frameHeight: Int, inputWidth: Int, inputHeight: Int): CropAffine {
            val zoom = minOf(inputWidth.toDouble() / frameWidth, inputHeight.toDouble() / frameHeight)
            return CropAffine(zoom, 0.5 * zoom - 0.5, 0.5 * zoom - 0.5)
        }

        /**
         * The crop centred on ([centreX], [centreY]) whose shorter input side spans
         * [personSize] x [margin] frame pixels, as `pose.data.crop.crop_affine`.
         */
        fun around(
            centreX: Double,
            centreY: Double,
            personSize: Double,
            margin: Double,
            inputWidth: Int,
            inputHeight: Int
        ): CropAffine {
            val side = maxOf(personSize * margin, 1.0)
            val zoom = minOf(inputWidth, inputHeight) / side
            return CropAffine(zoom, (inputWidth - 1) / 2.0 - zoom * centreX, (inputHeight - 1) / 2.0 - zoom * centreY)
        }
    }
}
