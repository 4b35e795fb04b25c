package dev.posepipeline.app.tracking

import dev.posepipeline.app.TestFiles
import dev.posepipeline.app.json.JsonNode
import dev.posepipeline.app.ml.ModelSpec
import org.json.JSONArray
import org.json.JSONObject
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

/** `person_finder` in the metadata: read into [ModelSpec.finder], Python's defaults where it is absent. */
class FinderSettingsTest {
    private val deployed = TestFiles.assetText("pose_model.json")

    @Test
    fun defaultsArePythons() {
        // pose/inference/person.py FinderSettings and params.yaml's inference section.
        assertEquals(FinderSettings(6, 1.3, 0.2, 4, 0.25, 0.9, true), FinderSettings())
    }

    @Test
    fun theMetadataCarriesTheSettings() {
        val spec = ModelSpec.parse(
            edited {
                it.put(
                    "person_finder",
                    finder(
                        "passes" to 3,
                        "crop_margin" to 1.5,
                        "person_threshold" to 0.4,
                        "settle_iou" to 0.8,
                        "mirror_last_pass" to true
                    )
                )
            }
        )
        assertEquals(
            FinderSettings(passes = 3, cropMargin = 1.5, personThreshold = 0.4, settleIou = 0.8, mirrorLastPass = true),
            spec.finder
        )
        assertEquals(FinderSettings(), ModelSpec.parse(edited { it.remove("person_finder") }).finder)
        val extra = ModelSpec.parse(edited { it.put("person_finder", finder("passes" to 1, "future_setting" to true)) })
        assertEquals(FinderSettings(passes = 1), extra.finder)
    }

    @Test
    fun theDeployedMetadataParses() {
        val root = JsonNode.parse(deployed)
        val spec = ModelSpec.parse(deployed)
        if (!root.has("person_finder")) {
            assertEquals(FinderSettings(), spec.finder)
        } else {
            assertEquals(FinderSettings.parse(root["person_finder"]), spec.finder)
        }
    }

    @Test
    fun badSettingsAreNamed() {
        assertEquals(
            "pose_model.json: person_finder.passes must be at least 1, found 0",
            problem { it.put("person_finder", finder("passes" to 0)) }
        )
        assertEquals(
            "pose_model.json: person_finder.crop_margin must be positive, found -1",
            problem { it.put("person_finder", finder("crop_margin" to -1.0)) }
        )
        assertEquals(
            "pose_model.json: person_finder.min_joints must be an integer, found 2.5",
            problem { it.put("person_finder", finder("min_joints" to 2.5)) }
        )
        assertEquals(
            "pose_model.json: person_finder.settle_iou must be between 0 and 1, found 1.5",
            problem { it.put("person_finder", finder("settle_iou" to 1.5)) }
        )
        val notABoolean = problem { it.put("person_finder", finder("mirror_last_pass" to 1)) }
        assertTrue(notABoolean, notABoolean.contains("person_finder.mirror_last_pass must be true or false"))
        val notAnObject = problem { it.put("person_finder", JSONArray(listOf(1))) }
        assertTrue(notAnObject, notAnObject.contains("person_finder must be an object"))
    }

    /** The deployed metadata after [edit] (made with org.json, as the app reads it). */
    private fun edited(edit: (JSONObject) -> Unit): String {
        val root = JSONObject(deployed)
        edit(root)
        return root.toString()
    }

    private fun finder(vararg settings: Pair<String, Any>): JSONObject = JSONObject(mapOf(*settings))

    private fun problem(edit: (JSONObject) -> Unit): String = try {
        ModelSpec.parse(edited(edit))
        fail("accepted the edited metadata")
        ""
    } catch (expected: IllegalArgumentException) {
        expected.message!!
    }
}
