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
}
