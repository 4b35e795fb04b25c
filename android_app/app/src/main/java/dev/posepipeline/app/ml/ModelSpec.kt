package dev.posepipeline.app.ml

import dev.posepipeline.app.data.BodyPart
import dev.posepipeline.app.data.Bone
import dev.posepipeline.app.json.JsonNode
import dev.posepipeline.app.tracking.FinderSettings

/**
 * Everything the app needs to know about the deployed model, read from `pose_model.json`, which
 * the pipeline's `deploy` stage writes next to `pose_model.tflite`. Nothing here is repeated in
 * code: another model only needs another pair of asset files.
 *
 * @property input the input tensor.
 * @property output the output tensor.
 * @property decoder name of the heatmap decoder (see [HeatmapDecoders]).
 * @property skeleton the bones to draw.
 * @property flipPairs left/right joint pairs (index pairs in model order).
 * @property finder how the person is found and tracked (`person_finder`; Python's defaults when absent).
 */
data class ModelSpec(
    val input: InputSpec,
    val output: OutputSpec,
    val decoder: String,
    val skeleton: List<Bone>,
    val flipPairs: List<Pair<Int, Int>>,
    val finder: FinderSettings = FinderSettings()
) {
    companion object {
        /** The metadata version this code reads; the deploy stage bumps it on format changes. */
        const val METADATA_VERSION = 1

        /** File name used in error messages. */
        const val FILE_NAME = "pose_model.json"

        /**
         * Parses (with Android's `org.json`) and checks the metadata [json]; every problem is an
         * [IllegalArgumentException] that says what is wrong and where.
         */
        fun parse(json: String): ModelSpec {
            val root = JsonNode.parse(json, source = FILE_NAME)
            val version = root["metadata_version"].asInt()
            require(version == METADATA_VERSION) {
                "$FILE_NAME: metadata_version is $version, this app reads version $METADATA_VERSION; " +
                    "update the app or re-run the deploy stage of the same pipeline version"
            }
            val input = parseInput(root["input"])
            val output = parseOutput(root["output"])
            checkJointNames(root["joint_names"], output.joints)
            val parts = BodyPart.values()
            val skeleton = parseIndexPairs(root["skeleton_edges"], parts.size).map {
                Bone(parts[it.first], parts[it.second])
            }
            val flipPairs = parseIndexPairs(root["flip_pairs"], parts.size)
            val decoder = root["decoder"].asString()
            HeatmapDecoders.forName(decoder) // fail at load time, not at the first frame
            return ModelSpec(input, output, decoder, skeleton, flipPairs, FinderSettings.fromMetadata(root))
        }

        private fun parseInput(node: JsonNode): InputSpec {
            val channels = node["channels"].asInt()
            if (channels != 3) throw node["channels"].fail("must be 3 (RGB)")
            val type = tensorType(node["dtype"], listOf(TensorType.UINT8, TensorType.FLOAT32))
            return InputSpec(positive(node["width"]), positive(node["height"]), channels, type)
        }

        private fun parseOutput(node: JsonNode): OutputSpec {
            val scale = node["scale"].asDouble().toFloat()
            if (!(scale > 0f)) throw node["scale"].fail("must be positive")
            return OutputSpec(
                width = positive(node["width"]),
                height = positive(node["height"]),
                joints = positive(node["joints"]),
                stride = positive(node["stride"]),
                scale = scale,
                zeroPoint = node["zero_point"].asInt(),
                type = tensorType(node["dtype"], TensorType.values().toList())
            )
        }

        private fun checkJointNames(node: JsonNode, joints: Int) {
            val names = node.elements().map { it.asString() }
            require(names.size == joints) {
                "$FILE_NAME: joint_names lists ${names.size} joints but output.joints is $joints"
            }
            require(names == BodyPart.jointNames) {
                "$FILE_NAME: joint_names $names differ from the app's BodyPart order ${BodyPart.jointNames}; " +
                    "a model with other joints needs BodyPart updated to match"
            }
        }

        private fun parseIndexPairs(node: JsonNode, count: Int): List<Pair<Int, Int>> = node.elements().map { pair ->
            val ends = pair.elements()
            if (ends.size != 2) throw pair.fail("must hold two joint indices")
            val first = ends[0].asInt()
            val second = ends[1].asInt()
            if (first !in 0 until count || second !in 0 until count) {
                throw pair.fail("must hold joint indices in 0..${count - 1}")
            }
            Pair(first, second)
        }

        private fun positive(node: JsonNode): Int {
            val value = node.asInt()
            if (value <= 0) throw node.fail("must be positive")
            return value
        }

        private fun tensorType(node: JsonNode, allowed: List<TensorType>): TensorType {
            val type = TensorType.fromJsonName(node.asString())
            if (type == null || type !in allowed) {
                throw node.fail("must be one of ${allowed.map { it.jsonName }}")
            }
            return type
        }
    }
}
