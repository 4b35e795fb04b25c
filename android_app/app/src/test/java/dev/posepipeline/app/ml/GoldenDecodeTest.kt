package dev.posepipeline.app.ml

import dev.posepipeline.app.Golden
import dev.posepipeline.app.TestFiles
import java.nio.ByteBuffer
import java.nio.ByteOrder
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** The Kotlin decoder reproduces Python's keypoints from the raw golden outputs within 0.01 px. */
class GoldenDecodeTest {
    private val spec = ModelSpec.parse(TestFiles.assetText("pose_model.json"))
    private val goldens = Golden.all()

    @Test
    fun goldenVectorsMatchTheDeployedModel() {
        assertTrue("expected golden vectors", goldens.isNotEmpty())
        for (golden in goldens) {
            assertEquals(
                golden.stem,
                listOf(spec.output.height, spec.output.width, spec.output.joints),
                golden.outputShape
            )
            assertEquals(
                golden.stem,
                listOf(spec.input.height, spec.input.width, spec.input.channels),
                golden.inputShape
            )
            assertEquals(golden.stem, spec.output.type.jsonName, golden.outputDtype)
            assertEquals(golden.stem, spec.output.scale.toDouble(), golden.outputScale, 1e-12)
            assertEquals(golden.stem, spec.output.zeroPoint, golden.outputZeroPoint)
            assertEquals(golden.stem, spec.decoder, golden.decoder)
            assertEquals(golden.stem, spec.output.byteCount, golden.output.size)
            assertEquals(golden.stem, spec.input.byteCount, golden.input.size)
        }
    }

    @Test
    fun keypointsMatchPythonInHeatmapAndInputPixels() {
        for (golden in goldens) {
            val raw = ByteBuffer.wrap(golden.output).order(ByteOrder.LITTLE_ENDIAN)
            val decoded = HeatmapDecoders.forName(golden.decoder).decode(Dequantizer.heatmaps(raw, spec.output))
            assertEquals(golden.keypointsHeatmap.size, decoded.positions.size)
            decoded.positions.forEachIndexed { joint, point ->
                val where = "${golden.stem} joint $joint"
                assertEquals("$where x (heatmap)", golden.keypointsHeatmap[joint].x, point.x, PIXEL_TOLERANCE)
                assertEquals("$where y (heatmap)", golden.keypointsHeatmap[joint].y, point.y, PIXEL_TOLERANCE)
                val input = spec.output.heatmapToInput(point)
                assertEquals("$where x (input)", golden.keypointsInput[joint].x, input.x, PIXEL_TOLERANCE)
                assertEquals("$where y (input)", golden.keypointsInput[joint].y, input.y, PIXEL_TOLERANCE)
                assertEquals("$where confidence", golden.confidence[joint], decoded.confidences[joint].toDouble(), 1e-5)
            }
        }
    }

    @Test
    fun everyDecoderStaysWithinItsReachOfTheArgmaxOnRealHeatmaps() {
        // Python wrote one decoder's keypoints; the others are checked on the same real maps
        // against what they can do by construction: move at most this far from the argmax.
        val reach = mapOf("argmax" to 0f, "quarter_offset" to 0.25f, "dark" to 1f, "centroid" to 2f)
        assertEquals(reach.keys, HeatmapDecoders.names.toSet())
        for (golden in goldens) {
            val heatmaps = Dequantizer.heatmaps(ByteBuffer.wrap(golden.output), spec.output)
            val argmax = ArgmaxDecoder.decode(heatmaps)
            for (name in HeatmapDecoders.names) {
                val decoded = HeatmapDecoders.forName(name).decode(heatmaps)
                decoded.positions.forEachIndexed { joint, point ->
                    val peak = argmax.positions[joint]
                    val limit = reach.getValue(name) + 1e-6f
                    assertTrue("$name ${golden.stem} joint $joint x", Math.abs(point.x - peak.x) <= limit)
                    assertTrue("$name ${golden.stem} joint $joint y", Math.abs(point.y - peak.y) <= limit)
                    assertEquals(argmax.confidences[joint], decoded.confidences[joint], 0f)
                }
            }
        }
    }

    private companion object {
        const val PIXEL_TOLERANCE = 0.01f
    }
}
