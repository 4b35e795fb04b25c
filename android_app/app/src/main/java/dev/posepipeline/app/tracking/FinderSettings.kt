package dev.posepipeline.app.tracking

import dev.posepipeline.app.json.JsonNode
import org.json.JSONObject

/**
 * How the person is found in a frame: `pose.inference.person.FinderSettings`, carried in the
 * model metadata under `person_finder` (the pipeline's `params.yaml` section `inference`).
 * The defaults are Python's, for metadata that predates the section.
 *
 * @property passes most model runs per whole-frame search: the letterboxed frame, then crops around what was found.
 * @property cropMargin crop side / longer side of the confident joints' box (the training crops' framing).
 * @property jointThreshold confidence a joint needs to count towards that box.
 * @property minJoints fewer confident joints than this: nothing found to crop around.
 * @property personThreshold mean joint confidence below which the frame holds nobody.
 * @property settleIou a search stops once the next crop overlaps the last this much (1: every pass runs).
 * @property mirrorLastPass the last crop of a search (and a held track's crop) is also run mirrored
 *   and the two heatmaps averaged.
 */
data class FinderSettings(
    val passes: Int = 6,
    val cropMargin: Double = 1.3,
    val jointThreshold: Double = 0.2,
    val minJoints: Int = 4,
    val personThreshold: Double = 0.25,
    val settleIou: Double = 0.9,
    val mirrorLastPass: Boolean = true
) {
    init {
        require(passes >= 1) { "passes must be at least 1, got $passes" }
        require(settleIou in 0.0..1.0) { "settle_iou must be between 0 and 1, got $settleIou" }
        require(cropMargin > 0.0) { "crop_margin must be positive, got $cropMargin" }
        require(minJoints >= 1) { "min_joints must be at least 1, got $minJoints" }
    }

    companion object {
        /** The metadata key. */
        const val KEY = "person_finder"

        /** The settings in the metadata [root]'s `person_finder`, each missing one (or the whole section) Python's default. */
        fun fromMetadata(root: JsonNode): FinderSettings = if (root.has(KEY)) parse(root[KEY]) else FinderSettings()

        /** The `person_finder` object [node]; keys it lacks keep their defaults, unknown keys are ignored (as in Python). */
        fun parse(node: JsonNode): FinderSettings {
            if (node.value !is JSONObject) throw node.fail("must be an object")
            val defaults = FinderSettings()
            val passes = int(node, "passes", defaults.passes)
            if (passes < 1) throw node["passes"].fail("must be at least 1")
            val margin = double(node, "crop_margin", defaults.cropMargin)
            if (!(margin > 0.0)) throw node["crop_margin"].fail("must be positive")
            val minJoints = int(node, "min_joints", defaults.minJoints)
            if (minJoints < 1) throw node["min_joints"].fail("must be at least 1")
            val settleIou = double(node, "settle_iou", defaults.settleIou)
            if (!(settleIou in 0.0..1.0)) throw node["settle_iou"].fail("must be between 0 and 1")
            return FinderSettings(
                passes = passes,
                cropMargin = margin,
                jointThreshold = double(node, "joint_threshold", defaults.jointThreshold),
                minJoints = minJoints,
                personThreshold = double(node, "person_threshold", defaults.personThreshold),
                settleIou = settleIou,
                mirrorLastPass = if (node.has("mirror_last_pass")) {
                    node["mirror_last_pass"].asBoolean()
                } else {
                    defaults.mirrorLastPass
                }
            )
        }

        private fun int(node: JsonNode, key: String, default: Int): Int =
            if (node.has(key)) node[key].asInt() else default

        private fun double(node: JsonNode, key: String, default: Double): Double =
            if (node.has(key)) node[key].asDouble() else default
    }
}
