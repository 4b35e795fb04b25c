package dev.posepipeline.app.tracking

import dev.posepipeline.app.TestFiles
import dev.posepipeline.app.json.JsonNode
import dev.posepipeline.app.ml.ModelSpec

/**
 * One recorded run of Python's person finder or tracker (`pose.deploy.golden.write_tracking_golden`
 * / `write_finding_golden`), from `golden/tracking/<name>.json` and its `.bin` outputs.
 */
class TrackingGolden(val name: String) {
    private val json = JsonNode.parse(
        TestFiles.resourceText("/golden/$FOLDER/$name.json"),
        source = "$FOLDER/$name.json"
    )

    /** `track` (a video, frame by frame) or `find` (each frame searched on its own). */
    val kind: String = json["kind"].asString()

    /** The model's metadata as the recording saw it, parsed as the app parses `pose_model.json`. */
    val spec: ModelSpec = ModelSpec.parse(json["metadata"].value.toString())

    /** The finder settings Python used. */
    val settings: FinderSettings = FinderSettings.parse(json["person_finder"])

    /** The one-euro filter Python smoothed with. */
    val smoother: OneEuroFilter = json["one_euro"].let {
        OneEuroFilter(
            it["min_cutoff_hz"].asDouble(),
            it["beta"].asDouble(),
            it["derivative_cutoff_hz"].asDouble()
        )
    }

    val frames: List<Frame> = json["frames"].elements().map { Frame(it) }

    /** One model run: the frame -> input affine it was run on, whether its crop was mirrored, and its raw output. */
    class Run(val affine: DoubleArray, val mirrored: Boolean, val output: ByteArray)

    /** One frame: its size and time, the model runs in order, and the person Python reached. */
    inner class Frame(node: JsonNode) {
        val index: Int = node["index"].asInt()
        val timeSeconds: Double = node["time_s"].asDouble()
        val width: Int = node["width"].asInt()
        val height: Int = node["height"].asInt()
        val runs: List<Run> = node["runs"].elements().map {
            Run(
                affine(it["affine"]),
                it.has("mirrored") && it["mirrored"].asBoolean(),
                TestFiles.resourceBytes("/golden/$FOLDER/${it["output"].asString()}")
            )
        }
        val keypoints: List<DoubleArray> = points(node["keypoints"])
        val confidences: List<Double> = node["confidence"].elements().map { it.asDouble() }
        val score: Double = node["score"].asDouble()
        val found: Boolean = node["found"].asBoolean()
        val crop: DoubleArray = affine(node["crop"])

        /** Null when nobody was found (nothing shown, the filter reset). */
        val smoothed: List<DoubleArray>? = node["smoothed"].let { if (it.isNull) null else points(it) }
    }

    private fun affine(node: JsonNode): DoubleArray =
        node.elements().flatMap { row -> row.elements().map { it.asDouble() } }.toDoubleArray()

    private fun points(node: JsonNode): List<DoubleArray> =
        node.elements().map { pair -> pair.elements().map { it.asDouble() }.toDoubleArray() }

    companion object {
        /** The subfolder of the golden folder the deploy stage writes these into. */
        const val FOLDER = "tracking"

        /** Every recording on the test classpath; none before the deploy stage has written them. */
        fun all(): List<TrackingGolden> = (TestFiles.resourceNames("/golden/$FOLDER") ?: emptyList())
            .filter { it.endsWith(".json") }
            .map { it.removeSuffix(".json") }
            .sorted()
            .map { TrackingGolden(it) }
    }
}
