package dev.posepipeline.app.tracking

import dev.posepipeline.app.camera.CropAffine
import dev.posepipeline.app.data.BodyPart
import dev.posepipeline.app.data.Keypoint
import dev.posepipeline.app.data.Point
import dev.posepipeline.app.data.Pose

/**
 * One person in upright-frame pixels, as `pose.inference.person.Person`. Coordinates are kept in
 * double precision, as numpy keeps them, because the next frame's crop is computed from them.
 *
 * @property x keypoint x per joint (model order), frame pixels.
 * @property y keypoint y per joint, frame pixels.
 * @property confidences heatmap peak per joint, about 0..1.
 * @property score mean joint confidence of the last model pass.
 * @property found [score] reached the person threshold.
 * @property crop the frame -> input affine of the last model pass.
 */
class Person(
    val x: DoubleArray,
    val y: DoubleArray,
    val confidences: FloatArray,
    val score: Double,
    val found: Boolean,
    val crop: CropAffine
) {
    init {
        require(x.size == y.size && x.size == confidences.size) {
            "${x.size} x, ${y.size} y and ${confidences.size} confidences"
        }
    }

    /** Number of joints. */
    val joints: Int get() = x.size

    /** The same person with other keypoints (e.g. smoothed ones). */
    fun withKeypoints(x: DoubleArray, y: DoubleArray): Person = Person(x, y, confidences, score, found, crop)

    /** The keypoints as a [Pose] in frame pixels, one per [BodyPart] in model order. */
    fun toPose(): Pose {
        val parts = BodyPart.values()
        require(joints == parts.size) { "A pose has ${parts.size} joints, this person $joints" }
        return Pose(
            parts.map {
                Keypoint(it, Point(x[it.ordinal].toFloat(), y[it.ordinal].toFloat()), confidences[it.ordinal])
            }
        )
    }
}
