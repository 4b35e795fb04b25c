package dev.posepipeline.app.camera

import dev.posepipeline.app.data.Point
import org.junit.Assert.assertEquals
import org.junit.Assert.fail
import org.junit.Test

/** Sensor <-> upright <-> model-input mapping for every rotation CameraX reports. */
class FrameGeometryTest {
    // A 4 x 3 sensor frame (landscape, as phone sensors are).
    private fun geometry(rotation: Int, inputWidth: Int = 128, inputHeight: Int = 128) =
        FrameGeometry(4, 3, rotation, inputWidth, inputHeight)

    private fun assertPoint(expected: Point, actual: Point, tolerance: Float = 1e-4f) {
        assertEquals("x of $actual", expected.x, actual.x, tolerance)
        assertEquals("y of $actual", expected.y, actual.y, tolerance)
    }

    @Test
    fun uprightSizeSwapsOnQuarterTurns() {
        for ((rotation, size) in listOf(0 to Pair(4, 3), 90 to Pair(3, 4), 180 to Pair(4, 3), 270 to Pair(3, 4))) {
            val g = geometry(rotation)
            assertEquals("rotation $rotation", size, Pair(g.uprightWidth, g.uprightHeight))
        }
    }

    @Test
    fun rotation0IsTheIdentity() {
        assertPoint(Point(1f, 2f), geometry(0).uprightToSensor(Point(1f, 2f)))
    }

    @Test
    fun rotation90TurnsTheSensorClockwise() {
        // Turning the sensor image clockwise puts its top-left corner at the upright top-right.
        val g = geometry(90)
        assertPoint(Point(0f, 0f), g.uprightToSensor(Point(2f, 0f)))
        assertPoint(Point(3f, 0f), g.uprightToSensor(Point(2f, 3f))) // sensor top-right -> upright bottom-right
        assertPoint(Point(0f, 2f), g.uprightToSensor(Point(0f, 0f))) // sensor bottom-left -> upright top-left
    }

    @Test
    fun rotation180FlipsBothAxes() {
        val g = geometry(180)
        assertPoint(Point(3f, 2f), g.uprightToSensor(Point(0f, 0f)))
        assertPoint(Point(0f, 0f), g.uprightToSensor(Point(3f, 2f)))
        assertPoint(Point(2.5f, 1f), g.uprightToSensor(Point(0.5f, 1f)))
    }

    @Test
    fun rotation270TurnsTheSensorCounterClockwise() {
        val g = geometry(270)
        assertPoint(Point(0f, 0f), g.uprightToSensor(Point(0f, 3f))) // sensor top-left -> upright bottom-left
        assertPoint(Point(3f, 0f), g.uprightToSensor(Point(0f, 0f))) // sensor top-right -> upright top-left
    }

    @Test
    fun sensorAndUprightMappingsAreInversesAndMatchTheIntegerForm() {
        for (rotation in listOf(0, 90, 180, 270)) {
            val g = geometry(rotation)
            for (y in 0 until g.uprightHeight) {
                for (x in 0 until g.uprightWidth) {
                    val sensor = g.uprightToSensor(Point(x.toFloat(), y.toFloat()))
                    assertPoint(Point(g.sensorX(x, y).toFloat(), g.sensorY(x, y).toFloat()), sensor, 0f)
                    assertPoint(Point(x.toFloat(), y.toFloat()), g.sensorToUpright(sensor), 0f)
                }
            }
            val odd = Point(0.3f, 1.7f)
            assertPoint(odd, g.sensorToUpright(g.uprightToSensor(odd)))
        }
    }

    @Test
    fun letterboxFitsTheWholeFrameTopLeft() {
        // 640 x 480 sensor, portrait phone: upright 480 x 640 into 128 x 128 -> zoom 0.2.
        val g = FrameGeometry(640, 480, 90, 128, 128)
        assertEquals(0.2, g.zoom, 1e-12)
        // Input corner edges map to frame corner edges; pixel centres to pixel centres.
        assertPoint(Point(-0.5f, -0.5f), g.inputToUpright(Point(-0.5f, -0.5f)))
        assertPoint(Point(639.5f, 639.5f), g.inputToUpright(Point(127.5f, 127.5f)))
        assertPoint(Point(2f, 2f), g.inputToUpright(Point(0f, 0f)))
        val frameCorner = Point(479.5f, 639.5f)
        assertPoint(Point(95.5f, 127.5f), g.uprightToInput(frameCorner)) // the frame ends at input x 96: black beyond
        assertPoint(Point(123.4f, 56.7f), g.uprightToInput(g.inputToUpright(Point(123.4f, 56.7f))))
    }

    @Test
    fun nonSquareInputsFitTheLimitingSide() {
        val wide = FrameGeometry(100, 100, 0, 64, 32)
        assertEquals(0.32, wide.zoom, 1e-12)
    }

    @Test
    fun otherRotationsAreRejected() {
        try {
            FrameGeometry(4, 3, 45, 8, 8)
            fail("accepted 45 degrees")
        } catch (expected: IllegalArgumentException) {
            assertEquals("rotationDegrees must be 0, 90, 180 or 270, got 45", expected.message)
        }
    }
}
