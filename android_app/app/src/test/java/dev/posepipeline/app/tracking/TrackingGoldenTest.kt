package dev.posepipeline.app.tracking

import dev.posepipeline.app.TestFiles
import dev.posepipeline.app.camera.CropAffine
import dev.posepipeline.app.ml.ModelSpec
import java.nio.ByteBuffer
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Assume.assumeTrue
import org.junit.Test

/**
 * Replays Python's recorded person search and tracking (`golden/tracking/`, written by the deploy
 * stage) through the Kotlin twins: the recorded raw outputs are fed back in order, and the app
 * must ask for the same crops (affines within 1e-4), take as many model runs per frame, and reach
 * the same keypoints (0.01 px), confidences and scores (1e-5), found flags and smoothed keypoints.
 *
 * Skipped (not failed) while the golden folder holds no tracking recordings, i.e. before the
 * deploy stage has run with a tracking-aware `pose/deploy/golden.py`.
 */
class TrackingGoldenTest {
    private val goldens = TrackingGolden.all()

    /** Skips the calling test when there is nothing to replay, and says so (jvm-tests.sh counts skips as passes). */
    private fun assumeRecordings() {
        if (goldens.isEmpty()) {
            println(
                "TrackingGoldenTest: no recordings under /golden/${TrackingGolden.FOLDER} yet (the deploy stage writes them); skipped"
            )
        }
        assumeTrue(
            "no tracking goldens under /golden/${TrackingGolden.FOLDER}; run the deploy stage",
            goldens.isNotEmpty()
        )
    }

    /** Plays back one frame's recorded outputs, checking each crop asked for against Python's. */
    private class ReplayModel(private val where: String, private val runs: List<TrackingGolden.Run>) : CropModel {
        var calls = 0

        override fun run(crop: CropAffine, output: ByteBuffer, mirrored: Boolean) {
            if (calls >= runs.size) fail("$where: the app runs the model more than the ${runs.size} times Python did")
            assertEquals("$where run $calls mirrored", runs[calls].mirrored, mirrored)
            val expected = runs[calls].affine
            val actual = crop.toArray()
            for (i in expected.indices) {
                assertEquals("$where run $calls affine[${i / 3}][${i % 3}]", expected[i], actual[i], AFFINE_TOLERANCE)
            }
            output.put(runs[calls].output)
            calls++
        }
    }

    @Test
    fun replayedRecordingsAskForTheSameCropsAndReachTheSamePeople() {
        assumeRecordings()
        for (golden in goldens) {
            val finder = PersonFinder(golden.spec)
            assertEquals(
                "${golden.name}: the metadata's person_finder as Kotlin reads it",
                golden.settings,
                finder.settings
            )
            val tracker = PersonTracker(finder, golden.smoother)
            var tracked = 0
            for (frame in golden.frames) {
                val where = "${golden.name} frame ${frame.index}"
                val model = ReplayModel(where, frame.runs)
                val person: Person
                val smoothed: Person?
                when (golden.kind) {
                    "find" -> {
                        person = finder.find(frame.width, frame.height, model)
                        smoothed = null
                    }

                    "track" -> {
                        val result = tracker.next(frame.width, frame.height, frame.timeSeconds, model)
                        person = result.person
                        smoothed = result.smoothed
                        if (frame.runs.size == trackRuns(golden) && frame.index > 0) tracked++
                    }

                    else -> throw AssertionError("${golden.name}: unknown kind ${golden.kind}")
                }
                assertEquals("$where: model runs", frame.runs.size, model.calls)
                checkPerson(where, frame, person)
                if (frame.smoothed == null) {
                    assertNull("$where: nobody found, nothing shown", smoothed)
                } else {
                    assertNotNull("$where: smoothed keypoints", smoothed)
                    checkPoints("$where smoothed", frame.smoothed, smoothed!!)
                }
            }
            if (golden.kind == "track") {
                println(
                    "tracking golden ${golden.name}: ${golden.frames.size} frames, " +
                        "$tracked tracked with ${trackRuns(golden)} run(s)"
                )
            }
        }
    }

    @Test
    fun recordingsComeFromTheDeployedModel() {
        assumeRecordings()
        val deployed = ModelSpec.parse(TestFiles.assetText("pose_model.json"))
        for (golden in goldens) {
            assertEquals("${golden.name}: metadata differs from the app's pose_model.json", deployed, golden.spec)
            assertTrue(golden.name, golden.frames.isNotEmpty())
            for (frame in golden.frames) {
                assertTrue(
                    "${golden.name} frame ${frame.index}: runs",
                    frame.runs.size in 1..2 + golden.settings.passes // a lost track's run, a search, its mirrored run
                )
                for (run in frame.runs) assertEquals(deployed.output.byteCount, run.output.size)
            }
        }
    }

    /** Model runs of a frame whose track held: the crop, and its mirrored twin when the settings say so. */
    private fun trackRuns(golden: TrackingGolden) = if (golden.settings.mirrorLastPass) 2 else 1

    private fun checkPerson(where: String, frame: TrackingGolden.Frame, person: Person) {
        checkPoints(where, frame.keypoints, person)
        for (joint in 0 until person.joints) {
            assertEquals(
                "$where confidence $joint",
                frame.confidences[joint],
                person.confidences[joint].toDouble(),
                1e-5
            )
        }
        assertEquals("$where score", frame.score, person.score, 1e-5)
        assertEquals("$where found (score ${person.score})", frame.found, person.found)
        val crop = person.crop.toArray()
        for (i in crop.indices) assertEquals("$where crop[$i]", frame.crop[i], crop[i], AFFINE_TOLERANCE)
    }

    private fun checkPoints(where: String, expected: List<DoubleArray>, person: Person) {
        assertEquals("$where joints", expected.size, person.joints)
        expected.forEachIndexed { joint, point ->
            assertEquals("$where joint $joint x", point[0], person.x[joint], PIXEL_TOLERANCE)
            assertEquals("$where joint $joint y", point[1], person.y[joint], PIXEL_TOLERANCE)
        }
    }

    private companion object {
        const val AFFINE_TOLERANCE = 1e-4
        const val PIXEL_TOLERANCE = 0.01
    }
}
