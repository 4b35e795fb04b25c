package dev.posepipeline.app.ml

import dev.posepipeline.app.TestFiles
import dev.posepipeline.app.data.BodyPart
import dev.posepipeline.app.data.Point
import dev.posepipeline.app.data.Side
import org.json.JSONArray
import org.json.JSONObject
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
            val names = root.getJSONArray("joint_names")
            val first = names.get(0)
            names.put(0, names.get(1)).put(1, first)
        }
        assertTrue(message, message.contains("differ from the app's BodyPart order"))
        val short = problem { root ->
            val names = root.getJSONArray("joint_names")
            root.put("joint_names", JSONArray((0 until 15).map { names.get(it) }))
        }
        assertTrue(short, short.contains("joint_names lists 15 joints but output.joints is"))
    }

    @Test
    fun unknownDecoderFailsAtLoadTime() {
        val message = problem { root -> root.put("decoder", "soft_argmax") }
        assertTrue(message, message.contains("Unknown heatmap decoder \"soft_argmax\""))
        assertTrue(message, message.contains("argmax, quarter_offset, dark, centroid"))
    }

    @Test
    fun otherProblemsAreNamed() {
        assertEquals(
            "pose_model.json: input.dtype must be one of [uint8, float32], found \"int16\"",
            problem { root -> root.getJSONObject("input").put("dtype", "int16") }
        )
        assertTrue(problem { root -> root.put("metadata_version", 2) }.contains("this app reads version 1"))
        assertEquals(
            "pose_model.json: output.stride must be positive, found 0",
            problem { root -> root.getJSONObject("output").put("stride", 0) }
        )
        assertEquals(
            "pose_model.json: output.stride must be an integer, found 4.5",
            problem { root -> root.getJSONObject("output").put("stride", 4.5) }
        )
        assertEquals(
            "pose_model.json: decoder must be a string, found 3",
            problem { root -> root.put("decoder", 3) }
        )
        assertEquals("pose_model.json: decoder is missing", problem { root -> root.remove("decoder") })
        assertEquals(
            "pose_model.json: skeleton_edges[0] must hold joint indices in 0..15, found an array",
            problem { root -> root.getJSONArray("skeleton_edges").put(0, JSONArray(listOf(0, 16))) }
        )
        assertEquals(
            "pose_model.json: joint_names must be an array, found an object",
            problem { root -> root.put("joint_names", JSONObject()) }
        )
    }

    @Test
    fun textThatIsNotJsonIsNamed() {
        val message = message { ModelSpec.parse(deployed.substring(0, deployed.length / 2)) }
        assertTrue(message, message.startsWith("pose_model.json: not valid JSON ("))
        val trailing = message { ModelSpec.parse("$deployed}") }
        assertTrue(trailing, trailing.startsWith("pose_model.json: not valid JSON ("))
    }

    /** Why [ModelSpec.parse] refuses the deployed metadata after [edit] (made with org.json, as the app reads it). */
    private fun problem(edit: (JSONObject) -> Unit): String {
        val root = JSONObject(deployed)
        edit(root)
        return message { ModelSpec.parse(root.toString()) }
    }

    /** The message of the [IllegalArgumentException] that [block] throws. */
    private fun message(block: () -> Unit): String = try {
        block()
        fail("accepted the metadata")
        ""
    } catch (expected: IllegalArgumentException) {
        expected.message!!
    }
}
