package dev.posepipeline.app.data

/**
 * One detected joint.
 *
 * @property part which joint.
 * @property position where it is, in the pixels of the image the owning [Pose] refers to.
 * @property confidence the dequantised heatmap peak, about 0..1; higher is surer.
 */
data class Keypoint(val part: BodyPart, val position: Point, val confidence: Float)
