package dev.posepipeline.app.ml

import dev.posepipeline.app.TestFiles
import dev.posepipeline.app.data.BodyPart
import dev.posepipeline.app.data.Point
import dev.posepipeline.app.data.Side
import dev.posepipeline.app.json.JsonReader
import dev.posepipeline.app.json.JsonWriter
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

/**
 * The real `pose_model.json` from the app's assets parses, and broken metadata fails with a
 * message that says what is wrong. Checks are about consistency, not about today's numbers, so
 * they hold for any model the pipeline deploys.
 */
class ModelSpecTest {
    private val deployed = TestFiles.assetText("pose_model.json")

    @Test
    fun readsTheDeployedMetadata() {
        val spec = ModelSpec.parse(deployed)
        assertEquals(3, spec.input.channels)
        assertEquals(BodyPart.values().size, spec.output.joints)
        // The heatmaps tile the input: heatmap pixel j covers input pixels j*stride .. j*stride+stride-1.
        assertEquals(spec.input.width, spec.output.width * spec.output.stride)
        assertEquals(spec.input.height, spec.output.height * spec.output.stride)
        assertTrue(spec.decoder in HeatmapDecoders.names)
        assertTrue(spec.skeleton.isNotEmpty())
        assertTrue(spec.output.scale > 0f)
        for ((a, b) in spec.flipPairs) {
            assertEquals(setOf(Side.LEFT, Side.RIGHT), setOf(BodyPart.values()[a].side, BodyPart.values()[b].side))
        }
        // Every joint is reachable in the drawn skeleton.
        val drawn = spec.skeleton.flatMap { listOf(it.from, it.to) }.toSet()
        assertEquals(BodyPart.values().toSet(), drawn)
    }

    @Test
    fun heatmapPixelsMapToInputPixelCentres() {
        val output = OutputSpec(32, 32, 16, 4, 1f, 0, TensorType.FLOAT32)
        assertEquals(Point(1.5f, 1.5f), output.heatmapToInput(Point(0f, 0f)))
        assertEquals(Point(125.5f, 5.5f), output.heatmapToInput(Point(31f, 1f)))
        assertEquals(Point(-0.5f, -0.5f), output.heatmapToInput(Point(-0.5f, -0.5f)))
    }

    @Test
    fun jointNamesMustMatchBodyPartOrder() {
        val message = problem { root ->
            @Suppress("UNCHECKED_CAST")
            val names = root["joint_names"] as MutableList<Any?>
            names[0] = names[1].also { names[1] = names[0] }
        }
        assertTrue(message, message.contains("differ from the app's BodyPart order"))
        val short = problem { root -> (root["joint_names"] as MutableList<*>).removeAt(15) }
        assertTrue(short, short.contains("joint_names lists 15 joints but output.joints is"))
    }

    @Test
    fun unknownDecoderFailsAtLoadTime() {
        val message = problem { root -> root["decoder"] = "soft_argmax" }
        assertTrue(message, message.contains("Unknown heatmap decoder \"soft_argmax\""))
        assertTrue(message, message.contains("argmax, quarter_offset, dark, centroid"))
    }

    @Test
    fun otherProblemsAreNamed() {
        assertEquals(
            "pose_model.json: input.dtype must be one of [uint8, float32], found \"int16\"",
            problem { root -> child(root, "input")["dtype"] = "int16" }
        )
        assertTrue(problem { root -> root["metadata_version"] = 2.0 }.contains("this app reads version 1"))
        assertEquals(
            "pose_model.json: output.stride must be positive, found 0.0",
            problem { root -> child(root, "output")["stride"] = 0.0 }
        )
        assertEquals("pose_model.json: decoder is missing", problem { root -> root.remove("decoder") })
        assertEquals(
            "pose_model.json: skeleton_edges[0] must hold joint indices in 0..15, found an array",
            problem { root -> (root["skeleton_edges"] as MutableList<Any?>)[0] = listOf(0.0, 16.0) }
        )
    }

    @Suppress("UNCHECKED_CAST")
    private fun child(root: MutableMap<String, Any?>, key: String): MutableMap<String, Any?> =
        root[key] as MutableMap<String, Any?>

    @Suppress("UNCHECKED_CAST")
    private fun problem(edit: (MutableMap<String, Any?>) -> Unit): String {
        val root = JsonReader.parse(deployed) as MutableMap<String, Any?>
        edit(root)
        return try {
            ModelSpec.parse(JsonWriter.write(root))
            fail("accepted the edited metadata")
            ""
        } catch (expected: IllegalArgumentException) {
            expected.message!!
        }
    }
}
