package dev.posepipeline.app.tracking

import dev.posepipeline.app.camera.CropAffine
import java.util.Random
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** The one-euro filter gives Python's numbers (`pose.inference.smoothing.OneEuroFilter`) and behaves as documented. */
class OneEuroFilterTest {
    private val crop = CropAffine(1.0, 0.0, 0.0)

    private fun person(x: DoubleArray, y: DoubleArray, confidences: FloatArray) =
        Person(x, y, confidences, confidences.average(), true, crop)

    @Test
    fun matchesPythonStepByStep() {
        // Printed by OneEuroFilter() of pose/inference/smoothing.py for these inputs (two joints).
        val inputs = listOf(
            Triple(doubleArrayOf(0.0, 100.0), doubleArrayOf(0.0, 50.0), floatArrayOf(1f, 0.5f)),
            Triple(doubleArrayOf(10.0, 90.0), doubleArrayOf(-5.0, 50.0), floatArrayOf(1f, 0.5f)),
            Triple(doubleArrayOf(12.0, 80.0), doubleArrayOf(-4.0, 70.0), floatArrayOf(0.8f, 1.5f)),
            Triple(doubleArrayOf(30.0, 60.0), doubleArrayOf(0.0, 75.0), floatArrayOf(0f, 1f))
        )
        val times = listOf(0.0, 0.1, 0.15, 0.2)
        val expected = listOf(
            listOf(0.0, 0.0, 100.0, 50.0),
            listOf(6.479571695923358, -2.762303855106768, 97.23769614489323, 50.0),
            listOf(8.828376676721655, -3.146350165129452, 86.07098435255472, 62.898231912677886),
            listOf(8.828376676721655, -3.146350165129452, 65.88147072177351, 71.40469694352485)
        )
        val filter = OneEuroFilter()
        for (step in inputs.indices) {
            val (x, y, confidences) = inputs[step]
            val smoothed = filter.smooth(person(x, y, confidences), times[step])
            for (joint in 0 until 2) {
                assertEquals("step $step joint $joint x", expected[step][2 * joint], smoothed.x[joint], 1e-9)
                assertEquals("step $step joint $joint y", expected[step][2 * joint + 1], smoothed.y[joint], 1e-9)
            }
            assertEquals(confidences.toList(), smoothed.confidences.toList())
        }
    }

    @Test
    fun calmsJitterAndIgnoresUnconfidentJumps() {
        val random = Random(0)
        val filter = OneEuroFilter(minCutoffHz = 1.0, beta = 0.0)
        val ones = FloatArray(16) { 1f }
        var last: Person? = null
        var sumSquares = 0.0
        for (frame in 0 until 60) {
            val x = DoubleArray(16) { 100 + 2 * random.nextGaussian() }
            val y = DoubleArray(16) { 100 + 2 * random.nextGaussian() }
            last = filter.smooth(person(x, y, ones), frame / 30.0)
            if (frame >= 30) sumSquares += last.x.sumByDouble { (it - 100) * (it - 100) }
        }
        assertTrue("jitter left: ${Math.sqrt(sumSquares / (30 * 16))}", Math.sqrt(sumSquares / (30 * 16)) < 1.0)
        val jump = filter.smooth(person(DoubleArray(16) { 150.0 }, DoubleArray(16) { 150.0 }, FloatArray(16)), 2.0)
        for (joint in 0 until 16) assertEquals(last!!.x[joint], jump.x[joint], 1e-12)
    }

    @Test
    fun resetAndTimeNotMovingOnStartAfresh() {
        val filter = OneEuroFilter()
        val confident = floatArrayOf(1f)
        filter.smooth(person(doubleArrayOf(0.0), doubleArrayOf(0.0), confident), 1.0)
        assertEquals(50.0, filter.smooth(person(doubleArrayOf(50.0), doubleArrayOf(0.0), confident), 1.0).x[0], 0.0)
        filter.smooth(person(doubleArrayOf(0.0), doubleArrayOf(0.0), confident), 1.1)
        filter.reset()
        assertEquals(70.0, filter.smooth(person(doubleArrayOf(70.0), doubleArrayOf(0.0), confident), 1.2).x[0], 0.0)
    }
}
