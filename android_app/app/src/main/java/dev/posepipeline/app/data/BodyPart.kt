package dev.posepipeline.app.data

/**
 * The joints the model predicts, in the model's channel order (MPII-16).
 *
 * The order is the contract with the pipeline: heatmap channel `k` of the model output is
 * `values()[k]`. [jointName] is the name the deploy stage writes into `joint_names` of
 * `pose_model.json`; the metadata loader checks the two lists are equal, so a model with other
 * joints fails at start-up instead of drawing a wrong skeleton.
 */
enum class BodyPart(val jointName: String, val side: Side) {
    RIGHT_ANKLE("r_ankle", Side.RIGHT),
    RIGHT_KNEE("r_knee", Side.RIGHT),
    RIGHT_HIP("r_hip", Side.RIGHT),
    LEFT_HIP("l_hip", Side.LEFT),
    LEFT_KNEE("l_knee", Side.LEFT),
    LEFT_ANKLE("l_ankle", Side.LEFT),
    PELVIS("pelvis", Side.CENTRE),
    THORAX("thorax", Side.CENTRE),
    UPPER_NECK("upper_neck", Side.CENTRE),
    HEAD_TOP("head_top", Side.CENTRE),
    RIGHT_WRIST("r_wrist", Side.RIGHT),
    RIGHT_ELBOW("r_elbow", Side.RIGHT),
    RIGHT_SHOULDER("r_shoulder", Side.RIGHT),
    LEFT_SHOULDER("l_shoulder", Side.LEFT),
    LEFT_ELBOW("l_elbow", Side.LEFT),
    LEFT_WRIST("l_wrist", Side.LEFT);

    companion object {
        /** The joint names in model order, as `joint_names` in the metadata must list them. */
        val jointNames: List<String> = values().map { it.jointName }
    }
}
