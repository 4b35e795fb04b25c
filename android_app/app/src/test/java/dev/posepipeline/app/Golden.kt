package dev.posepipeline.app

import dev.posepipeline.app.data.Point
import dev.posepipeline.app.json.JsonNode

/**
 * One golden vector from `pose/golden.py`: the exact model input and raw output of a test crop,
 * and the keypoints Python decoded from that output.
 */
class Golden(val stem: String) {
    private val json = JsonNode.parse(TestFiles.resourceText("/golden/$stem.json"), source = "$stem.json")

    /** The raw input tensor, HWC. */
    val input: ByteArray = TestFiles.resourceBytes("/golden/$stem.input.bin")

    /** The raw output tensor, HWC, in the model's dtype. */
    val output: ByteArray = TestFiles.resourceBytes("/golden/$stem.output.bin")

    /** `[height, width, channels]` of the input. */
    val inputShape: List<Int> = json["input_shape"].elements().map { it.asInt() }

    /** `[height, width, joints]` of the output. */
    val outputShape: List<Int> = json["output_shape"].elements().map { it.asInt() }

    val outputDtype: String = json["output_dtype"].asString()
    val outputScale: Double = json["output_scale"].asDouble()
    val outputZeroPoint: Int = json["output_zero_point"].asInt()
    val decoder: String = json["decoder"].asString()

    /** Python's keypoints, heatmap pixels. */
    val keypointsHeatmap: List<Point> = points("keypoints_heatmap")

    /** Python's keypoints, model-input pixels. */
    val keypointsInput: List<Point> = points("keypoints_input")

    /** Python's confidences. */
    val confidence: List<Double> = json["confidence"].elements().map { it.asDouble() }

    private fun points(key: String): List<Point> = json[key].elements().map { pair ->
        val xy = pair.elements()
        Point(xy[0].asDouble().toFloat(), xy[1].asDouble().toFloat())
    }

    companion object {
        /** Every golden vector on the test classpath. */
        fun all(): List<Golden> = TestFiles.goldenStems().map { Golden(it) }
    }
}
