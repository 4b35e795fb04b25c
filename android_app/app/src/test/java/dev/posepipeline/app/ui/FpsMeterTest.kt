package dev.posepipeline.app.ui

import org.junit.Assert.assertEquals
import org.junit.Test

class FpsMeterTest {
    @Test
    fun averagesOverTheWindow() {
        val meter = FpsMeter(window = 4)
        assertEquals(0.0, meter.tick(0L), 0.0)
        assertEquals(20.0, meter.tick(50_000_000L), 1e-9)
        meter.tick(100_000_000L)
        assertEquals(20.0, meter.tick(150_000_000L), 1e-9)
        // Slow frames push old fast ones out of the 4-interval window.
        for (i in 1..4) meter.tick(150_000_000L + i * 100_000_000L)
        assertEquals(10.0, meter.fps(), 1e-9)
    }

    @Test
    fun resetForgetsFrames() {
        val meter = FpsMeter()
        meter.tick(0L)
        meter.tick(10_000_000L)
        meter.reset()
        assertEquals(0.0, meter.fps(), 0.0)
        meter.tick(20_000_000L)
        assertEquals(0.0, meter.fps(), 0.0)
    }
}
