package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Pose
import dev.posepipeline.app.tracking.Person

/**
 * The result for one frame.
 *
 * @property pose the person to draw: smoothed keypoints in upright-frame pixels (see
 *   [dev.posepipeline.app.camera.FrameGeometry]); null when the frame holds nobody, so nothing is drawn.
 * @property person the model's last pass on this frame, unsmoothed: keypoints, confidences, score,
 *   whether it counts as found, and the crop it was run on.
 * @property frameWidth upright frame width, pixels.
 * @property frameHeight upright frame height, pixels.
 * @property inferenceMillis time spent in the model alone (all runs of the frame), milliseconds.
 * @property totalMillis time for the whole frame (input sampling, model, decoding), milliseconds.
 * @property accelerator what ran the model ([TensorRunner.accelerator]).
 * @property modelRuns how many times the model ran: 1 while tracking, more when searching the whole frame.
 */
class Detection(
    val pose: Pose?,
    val person: Person,
    val frameWidth: Int,
    val frameHeight: Int,
    val inferenceMillis: Double,
    val totalMillis: Double,
    val accelerator: String,
    val modelRuns: Int
)
