package dev.posepipeline.app.camera

import dev.posepipeline.app.data.Point
import org.junit.Assert.assertEquals
import org.junit.Test

/** Upright frame -> screen, as PreviewView's FILL_CENTER shows it, with front-camera mirroring. */
class ViewTransformTest {
    private fun assertPoint(expected: Point, actual: Point) {
        assertEquals("x of $actual", expected.x, actual.x, 1e-3f)
        assertEquals("y of $actual", expected.y, actual.y, 1e-3f)
    }

    @Test
    fun sameAspectScalesOnly() {
        val t = ViewTransform(480, 640, 1080, 1440, mirrored = false)
        assertEquals(2.25f, t.scale, 0f)
        assertPoint(Point(0f, 0f), t.frameToView(Point(-0.5f, -0.5f)))
        assertPoint(Point(1080f, 1440f), t.frameToView(Point(479.5f, 639.5f)))
        assertPoint(Point(540f, 720f), t.frameToView(Point(239.5f, 319.5f)))
    }

    @Test
    fun tallerViewCropsTheSidesEvenly() {
        // 3:4 frame in a 9:20 view: scale to the height, the frame overflows left and right.
        val t = ViewTransform(480, 640, 900, 2000, mirrored = false)
        assertEquals(3.125f, t.scale, 0f)
        val overflow = (480 * 3.125f - 900) / 2
        assertPoint(Point(-overflow, 0f), t.frameToView(Point(-0.5f, -0.5f)))
        assertPoint(Point(450f, 1000f), t.frameToView(Point(239.5f, 319.5f)))
    }

    @Test
    fun frontCameraIsMirroredAboutTheViewCentre() {
        val plain = ViewTransform(480, 640, 900, 2000, mirrored = false)
        val mirrored = ViewTransform(480, 640, 900, 2000, mirrored = true)
        val p = Point(100f, 200f)
        assertPoint(Point(900 - plain.frameToView(p).x, plain.frameToView(p).y), mirrored.frameToView(p))
        // The person's left edge of the frame shows on the right of the screen.
        assertPoint(Point(900f + (480 * 3.125f - 900) / 2, 0f), mirrored.frameToView(Point(-0.5f, -0.5f)))
        // Mirroring the frame first is the same as mirroring the view.
        assertPoint(mirrored.frameToView(p), plain.frameToView(Point(479f - p.x, p.y)))
    }

    @Test
    fun viewToFrameInvertsFrameToView() {
        for (mirrored in listOf(false, true)) {
            val t = ViewTransform(640, 480, 1000, 700, mirrored)
            val p = Point(12.5f, 400.25f)
            assertPoint(p, t.viewToFrame(t.frameToView(p)))
        }
    }

    @Test
    fun fitShowsTheWholeFrameWithBarsBeside() {
        // A 400 x 300 photo in a 1080 x 1920 portrait view: scaled to the width, bars above and below.
        val fit = ViewTransform(400, 300, 1080, 1920, mirrored = false, fill = false)
        assertEquals(2.7f, fit.scale, 1e-6f)
        assertPoint(Point(0f, 555f), fit.frameToView(Point(-0.5f, -0.5f)))
        assertPoint(Point(1080f, 1365f), fit.frameToView(Point(399.5f, 299.5f)))
    }
}
