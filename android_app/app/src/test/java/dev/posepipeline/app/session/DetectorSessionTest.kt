package dev.posepipeline.app.session

import dev.posepipeline.app.ml.HeatmapPoseDetector
import dev.posepipeline.app.ml.TensorRunner
import dev.posepipeline.app.tracking.Rectangles
import java.nio.ByteBuffer
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * The detector's life cycle with fake runners: a GPU that fails while running, a CPU that fails,
 * the GPU toggle, the background. Each test is a bug the app had: detection stopped for good after
 * one failure, and a GPU failure after creation was never answered by the CPU.
 */
class DetectorSessionTest {
    private val box = intArrayOf(200, 100, 230, 175)
    private val frame = Rectangles.frame(400, 300, box)

    /** The rectangle model, labelled as the accelerator it pretends to be, failing on demand. */
    private class FakeRunner(override val accelerator: String, private val failing: () -> Boolean) : TensorRunner {
        private val model = Rectangles.Runner()
        var closed = false

        override fun run(input: ByteBuffer, output: ByteBuffer) {
            check(!failing()) { "$accelerator exploded" }
            model.run(input, output)
        }

        override fun close() {
            closed = true
        }
    }

    /** Makes detectors and remembers them; [gpuFails] / [cpuFails] switch failures on while running. */
    private inner class Factory {
        var gpuFails = false
        var cpuFails = false
        val created = mutableListOf<FakeRunner>()

        fun create(useGpu: Boolean): HeatmapPoseDetector {
            val runner = if (useGpu) FakeRunner("GPU") { gpuFails } else FakeRunner("CPU") { cpuFails }
            created += runner
            return HeatmapPoseDetector(Rectangles.spec, runner)
        }
    }

    private fun DetectorSession.frame(wantGpu: Boolean, time: Long = 0L): FrameOutcome = detect(wantGpu, frame, 0, time)

    private fun accelerator(outcome: FrameOutcome): String {
        assertTrue("expected a detection, got $outcome", outcome is FrameOutcome.Detected)
        return (outcome as FrameOutcome.Detected).detection.accelerator
    }

    @Test
    fun aGpuFailingWhileRunningHandsTheSameFrameToTheCpu() {
        val factory = Factory()
        val session = DetectorSession(factory::create)
        assertEquals("GPU", accelerator(session.frame(true, 0L)))
        factory.gpuFails = true
        val fallback = session.frame(true, 1L)
        assertEquals("CPU", accelerator(fallback))
        assertNotNull("the detection still has the person", (fallback as FrameOutcome.Detected).detection.pose)
        assertTrue(fallback.notice!!.contains("GPU failed"))
        assertTrue("the failed GPU runner is released", factory.created[0].closed)
        val next = session.frame(true, 2L)
        assertEquals("CPU", accelerator(next))
        assertNull("said once", (next as FrameOutcome.Detected).notice)
        assertEquals("the GPU is not tried on every frame", 2, factory.created.size)
    }

    @Test
    fun switchingTheGpuOffAndOnGivesItAnotherChance() {
        val factory = Factory()
        factory.gpuFails = true
        val session = DetectorSession(factory::create)
        assertEquals("CPU", accelerator(session.frame(true)))
        assertEquals("CPU", accelerator(session.frame(false)))
        factory.gpuFails = false
        assertEquals("GPU", accelerator(session.frame(true)))
    }

    @Test
    fun aCpuFailurePausesWithOneMessageUntilSomethingChanges() {
        val factory = Factory()
        factory.cpuFails = true
        val session = DetectorSession(factory::create)
        val failed = session.frame(false)
        assertTrue(failed is FrameOutcome.Failed)
        assertEquals("CPU exploded", (failed as FrameOutcome.Failed).message)
        assertTrue(session.paused)
        assertSame(FrameOutcome.Paused, session.frame(false))
        assertEquals("no new detector while paused", 1, factory.created.size)

        factory.cpuFails = false
        session.retry() // e.g. the camera was switched or the app came back
        assertFalse(session.paused)
        assertEquals("CPU", accelerator(session.frame(false)))
    }

    @Test
    fun theGpuToggleEndsAPauseToo() {
        val factory = Factory()
        factory.cpuFails = true
        factory.gpuFails = true
        val session = DetectorSession(factory::create)
        assertTrue(session.frame(true) is FrameOutcome.Failed) // GPU failed, then the CPU too
        assertSame(FrameOutcome.Paused, session.frame(true))
        factory.cpuFails = false
        assertEquals("turning the GPU off recovers", "CPU", accelerator(session.frame(false)))
    }

    @Test
    fun aDetectorThatCannotBeCreatedOnTheGpuFallsBackToo() {
        var attempts = 0
        val session = DetectorSession { gpu ->
            attempts++
            check(!gpu) { "no OpenCL driver" }
            HeatmapPoseDetector(Rectangles.spec, FakeRunner("CPU") { false })
        }
        assertEquals("CPU", accelerator(session.frame(true)))
        assertEquals(2, attempts)
    }

    @Test
    fun releaseFreesTheModelAndTheNextFrameLoadsItAgain() {
        val factory = Factory()
        val session = DetectorSession(factory::create)
        session.frame(true, 0L)
        assertTrue(session.loaded)
        session.release() // the app went to the background
        assertFalse(session.loaded)
        assertTrue(factory.created[0].closed)
        val back = session.frame(true, 1L) as FrameOutcome.Detected
        assertEquals(2, factory.created.size)
        assertEquals("a new detector searches the whole frame", 2, back.detection.modelRuns)
        session.close()
        assertTrue(factory.created[1].closed)
    }

    @Test
    fun retryForgetsTheTrackedPerson() {
        val factory = Factory()
        val session = DetectorSession(factory::create)
        assertEquals(2, (session.frame(false, 0L) as FrameOutcome.Detected).detection.modelRuns)
        assertEquals(1, (session.frame(false, 1L) as FrameOutcome.Detected).detection.modelRuns)
        session.retry() // another camera
        assertEquals(2, (session.frame(false, 2L) as FrameOutcome.Detected).detection.modelRuns)
    }
}
