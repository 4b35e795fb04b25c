package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Pose

/**
 * The result for one frame.
 *
 * @property pose keypoints in upright-frame pixels (see [dev.posepipeline.app.camera.FrameGeometry]).
 * @property frameWidth upright frame width, pixels.
 * @property frameHeight upright frame height, pixels.
 * @property inferenceMillis time spent in the model alone, milliseconds.
 * @property totalMillis time for the whole frame (input sampling, model, decoding), milliseconds.
 * @property accelerator what ran the model ([TensorRunner.accelerator]).
 */
class Detection(
    val pose: Pose,
    val frameWidth: Int,
    val frameHeight: Int,
    val inferenceMillis: Double,
    val totalMillis: Double,
    val accelerator: String
)
