package dev.posepipeline.app.tracking

import dev.posepipeline.app.camera.CropAffine
import dev.posepipeline.app.camera.FrameGeometry
import dev.posepipeline.app.camera.InputSampler
import dev.posepipeline.app.camera.RgbaFrame
import java.nio.ByteBuffer
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * Finding and tracking with a stand-in model that sees a white rectangle ([Rectangles]): the same
 * checks as `tests/test_person.py`, through the app's own crop sampling.
 */
class PersonFinderTest {
    private val spec = Rectangles.spec

    /** The model on crops of [frame], sampled as the app samples them; remembers the crops asked for. */
    private inner class FrameModel(
        private val frame: RgbaFrame,
        rotation: Int = 0,
        private val runner: Rectangles.Runner = Rectangles.Runner(spec)
    ) : CropModel {
        private val geometry = FrameGeometry(frame.width, frame.height, rotation, spec.input.width, spec.input.height)
        private val sampler = InputSampler(spec.input)
        private val input = ByteBuffer.allocateDirect(spec.input.byteCount)
        val crops = ArrayList<CropAffine>()
        val mirroredRuns = ArrayList<Int>()

        override fun run(crop: CropAffine, output: ByteBuffer, mirrored: Boolean) {
            crops.add(crop)
            if (mirrored) mirroredRuns.add(crops.size - 1)
            sampler.fill(frame, geometry, crop, input)
            if (mirrored) sampler.mirror(input)
            runner.run(input, output)
        }
    }

    private fun error(person: Person, truth: Pair<DoubleArray, DoubleArray>): Double = (0 until person.joints).map {
        maxOf(Math.abs(person.x[it] - truth.first[it]), Math.abs(person.y[it] - truth.second[it]))
    }.max()!!

    @Test
    fun twoPassesFindASmallOffCentrePersonInFramePixels() {
        // A white person-box 19 % of a 400 x 300 frame high, off centre.
        val box = intArrayOf(300, 100, 330, 175)
        val truth = Rectangles.truth(300, 100, 330, 175)
        val onePass = PersonFinder(
            spec,
            FinderSettings(mirrorLastPass = false, passes = 1)
        ).find(400, 300, FrameModel(Rectangles.frame(400, 300, box)))
        val model = FrameModel(Rectangles.frame(400, 300, box))
        val twoPasses = PersonFinder(spec, FinderSettings(mirrorLastPass = false, passes = 2)).find(400, 300, model)
        assertTrue(twoPasses.found)
        assertEquals(2, model.crops.size)
        assertEquals(CropAffine.letterbox(400, 300, 128, 128), model.crops[0])
        assertEquals(model.crops[1], twoPasses.crop)
        assertTrue("two passes: ${error(twoPasses, truth)} px", error(twoPasses, truth) < 1.0)
        assertTrue(
            "one pass ${error(onePass, truth)}, two ${error(twoPasses, truth)}",
            error(twoPasses, truth) < error(onePass, truth) / 2
        )
    }

    @Test
    fun morePassesCropAgainAroundThePreviousPass() {
        val model = FrameModel(Rectangles.frame(400, 300, intArrayOf(300, 100, 330, 175)))
        PersonFinder(spec, FinderSettings(mirrorLastPass = false, passes = 3, settleIou = 1.0)).find(400, 300, model)
        assertEquals(3, model.crops.size)
    }

    @Test
    fun aSearchStopsOnceItsCropsSettle() {
        // As tests/test_person.py: the second crop lands within a pixel of the first (IoU above 0.9).
        val box = intArrayOf(300, 100, 330, 175)
        val truth = Rectangles.truth(300, 100, 330, 175)
        for ((settleIou, runs) in listOf(1.0 to 5, 0.9 to 2)) {
            val model = FrameModel(Rectangles.frame(400, 300, box))
            val settings = FinderSettings(mirrorLastPass = false, passes = 5, settleIou = settleIou)
            val person = PersonFinder(spec, settings).find(400, 300, model)
            assertEquals("settle IoU $settleIou", runs, model.crops.size)
            assertEquals(model.crops.last(), person.crop)
            assertTrue("settle IoU $settleIou: ${error(person, truth)} px", error(person, truth) < 1.0)
        }
    }

    @Test
    fun anEmptyFrameGivesNobodyAfterOneRun() {
        val model = FrameModel(Rectangles.frame(400, 300, null))
        val person = PersonFinder(spec).find(400, 300, model)
        assertFalse(person.found)
        assertEquals(0.0, person.score, 0.0)
        assertEquals(1, model.crops.size) // nothing confident to crop around: no second pass
    }

    @Test
    fun aMirroredLastPassCancelsWhatTheModelGetsWrongLeftToRight() {
        // As tests/test_person.py: a model 2 input pixels off to the right, in a layout the mirror keeps.
        val box = intArrayOf(300, 100, 330, 175)
        val (truthX, truthY) = Rectangles.truth(300, 100, 330, 175, mirrorable = true)
        val errors = HashMap<Boolean, Pair<Double, Double>>()
        var zoom = 0.0
        for (mirror in listOf(false, true)) {
            val model = FrameModel(
                Rectangles.frame(400, 300, box),
                runner = Rectangles.Runner(Rectangles.mirroringSpec, mirrorable = true, shift = 2.0)
            )
            val finder = PersonFinder(Rectangles.mirroringSpec, FinderSettings(passes = 2, mirrorLastPass = mirror))
            val person = finder.find(400, 300, model)
            assertTrue(person.found)
            assertEquals("mirror $mirror: runs", if (mirror) 3 else 2, model.crops.size)
            assertEquals(if (mirror) listOf(2) else emptyList<Int>(), model.mirroredRuns)
            assertEquals(model.crops[1], model.crops.last()) // the same crop, run again mirrored
            assertEquals(model.crops[1], person.crop)
            // Signed mean errors: the decoder's own errors average out, the model's bias does not.
            errors[mirror] = Pair(
                (0 until person.joints).map { person.x[it] - truthX[it] }.average(),
                (0 until person.joints).map { person.y[it] - truthY[it] }.average()
            )
            zoom = person.crop.zoom
        }
        val bias = 2.0 / zoom // the model's 2 input pixels, in frame pixels
        assertEquals(bias, errors[false]!!.first, 0.2)
        assertTrue("mirrored: ${errors[true]}", Math.abs(errors[true]!!.first) < 0.1 * bias)
        assertTrue("mirrored: ${errors[true]}", Math.abs(errors[true]!!.second) < 0.1)
    }

    @Test
    fun aHeldTrackRunsItsCropMirroredTooAndAnEmptyFrameDoesNot() {
        val finder = PersonFinder(Rectangles.mirroringSpec, FinderSettings(passes = 2, mirrorLastPass = true))
        val runner = Rectangles.Runner(Rectangles.mirroringSpec, mirrorable = true)
        val first = FrameModel(Rectangles.frame(400, 300, intArrayOf(200, 100, 230, 175)), runner = runner)
        val person = finder.track(400, 300, null, first)
        assertEquals(listOf(2), first.mirroredRuns) // letterbox, crop, the crop mirrored
        val next = FrameModel(Rectangles.frame(400, 300, intArrayOf(205, 100, 235, 175)), runner = runner)
        assertTrue(finder.track(400, 300, person, next).found)
        assertEquals(2, next.crops.size)
        assertEquals(listOf(1), next.mirroredRuns)
        val empty = FrameModel(Rectangles.frame(400, 300, null), runner = runner)
        assertFalse(finder.track(400, 300, person, empty).found)
        assertEquals(2, empty.crops.size) // the crop, then the letterbox: nothing to mirror
        assertTrue(empty.mirroredRuns.isEmpty())
    }

    @Test
    fun trackingFollowsAMovingPersonWithOneRunPerFrameAndSearchesAgainWhenLost() {
        val finder = PersonFinder(spec)
        var person: Person? = null
        for (step in 0 until 5) {
            val box = intArrayOf(200 + 10 * step, 100, 230 + 10 * step, 175)
            val model = FrameModel(Rectangles.frame(400, 300, box))
            person = finder.track(400, 300, person, model)
            assertTrue("step $step", person.found)
            val error = error(person, Rectangles.truth(box[0], box[1], box[2], box[3]))
            assertTrue("step $step: $error px", error < 1.5)
            assertEquals("step $step runs", if (step == 0) 2 else 1, model.crops.size)
        }
        val empty = FrameModel(Rectangles.frame(400, 300, null))
        val lost = finder.track(400, 300, person, empty)
        assertFalse(lost.found)
        assertEquals(2, empty.crops.size) // the crop found nobody, then the whole frame neither
        val again = FrameModel(Rectangles.frame(400, 300, intArrayOf(100, 50, 140, 150)))
        assertTrue(finder.track(400, 300, lost, again).found)
        assertEquals(2, again.crops.size) // no person to follow: a whole-frame search
    }

    @Test
    fun theCropNeedsEnoughConfidentJoints() {
        val finder = PersonFinder(spec, FinderSettings(mirrorLastPass = false, minJoints = 4))
        val x = DoubleArray(16) { 10.0 }
        val y = DoubleArray(16) { 20.0 }
        val confidences = FloatArray(16)
        for (joint in 0 until 3) confidences[joint] = 0.9f
        val crop = CropAffine(1.0, 0.0, 0.0)
        assertNull(finder.boxAffine(Person(x, y, confidences, 0.5, true, crop)))
        confidences[3] = 0.9f
        val corners = listOf(0.0 to 0.0, 50.0 to 0.0, 0.0 to 100.0, 50.0 to 100.0)
        corners.forEachIndexed { joint, (cx, cy) ->
            x[joint] = cx
            y[joint] = cy
        }
        val affine = finder.boxAffine(Person(x, y, confidences, 0.5, true, crop))!!
        // The box centre lands on the input centre; its longer side times the margin spans the input.
        assertEquals(63.5, affine.frameToInputX(25.0), 1e-9)
        assertEquals(63.5, affine.frameToInputY(50.0), 1e-9)
        assertEquals(128 / (100 * 1.3), affine.zoom, 1e-12)
        // A joint exactly at the threshold counts (float32 comparison, as numpy's).
        confidences.fill(0f)
        for (joint in 0 until 4) confidences[joint] = 0.2f
        assertTrue(finder.boxAffine(Person(x, y, confidences, 0.2, false, crop)) != null)
    }
}
