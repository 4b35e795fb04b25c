package dev.posepipeline.app.data

/**
 * All joints of one person, one [Keypoint] per [BodyPart] in model order.
 *
 * The thresholding is per joint: a joint is shown when its own confidence reaches the threshold,
 * whatever the other joints score, and a bone when both of its joints are shown.
 */
class Pose(val keypoints: List<Keypoint>) {
    init {
        require(keypoints.size == BodyPart.values().size) {
            "A pose has ${BodyPart.values().size} keypoints, got ${keypoints.size}"
        }
        keypoints.forEachIndexed { index, keypoint ->
            require(keypoint.part.ordinal == index) { "Keypoint $index is ${keypoint.part}, expected model order" }
        }
    }

    /** The keypoint of [part]. */
    operator fun get(part: BodyPart): Keypoint = keypoints[part.ordinal]

    /** Whether [part] reaches [threshold] and should be drawn. */
    fun isShown(part: BodyPart, threshold: Float): Boolean = keypoints[part.ordinal].confidence >= threshold

    /** Whether both joints of [bone] reach [threshold]. */
    fun isShown(bone: Bone, threshold: Float): Boolean = isShown(bone.from, threshold) && isShown(bone.to, threshold)

    /** The same pose with every position passed through [transform] (e.g. frame -> view pixels). */
    fun map(transform: (Point) -> Point): Pose =
        Pose(keypoints.map { Keypoint(it.part, transform(it.position), it.confidence) })

    /**
     * The same pose with every joint that lies outside a [width] x [height] picture (for example
     * decoded inside the letterbox padding around a frame) at confidence 0, so that no threshold
     * draws it or its bones. Pixel centres are integers: the picture spans -0.5..width-0.5 by
     * -0.5..height-0.5.
     */
    fun insidePicture(width: Int, height: Int): Pose = Pose(
        keypoints.map {
            val inside = it.position.x >= -0.5f && it.position.x <= width - 0.5f &&
                it.position.y >= -0.5f && it.position.y <= height - 0.5f
            if (inside) it else Keypoint(it.part, it.position, 0f)
        }
    )

    /**
     * One line per joint, `name confidence` in model order (e.g. `r_ankle   0.83`), joints below
     * [threshold] marked `(hidden)`: what the app shows beside a photo from the gallery.
     */
    fun confidenceLines(threshold: Float): List<String> {
        val width = keypoints.fold(0) { widest, keypoint -> maxOf(widest, keypoint.part.jointName.length) }
        return keypoints.map {
            val hidden = if (it.confidence < threshold) " (hidden)" else ""
            it.part.jointName.padEnd(width) + " " + String.format(java.util.Locale.ROOT, "%.2f", it.confidence) + hidden
        }
    }
}
