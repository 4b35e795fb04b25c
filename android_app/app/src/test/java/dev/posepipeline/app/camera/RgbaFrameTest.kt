package dev.posepipeline.app.camera

import org.junit.Assert.assertEquals
import org.junit.Assert.assertSame
import org.junit.Test

/** The view port's crop of an analysed frame: the same pixels, addressed from the crop's corner. */
class RgbaFrameTest {
    private fun numbered(width: Int, height: Int, rowPadding: Int): RgbaFrame {
        val rgb = ByteArray(width * height * 3) { index -> ((index / 3) % 251).toByte() }
        return Frames.sensorFrame(rgb, width, height, 0, rowPadding)
    }

    @Test
    fun aCropReadsTheSamePixels() {
        val frame = numbered(40, 30, rowPadding = 12)
        val crop = frame.cropped(5, 7, 20, 16)
        assertEquals(20, crop.width)
        assertEquals(16, crop.height)
        for (y in 0 until crop.height) {
            for (x in 0 until crop.width) {
                for (channel in 0 until 4) {
                    assertEquals(
                        "pixel ($x, $y) channel $channel",
                        frame.pixels.get(frame.offset(x + 5, y + 7) + channel),
                        crop.pixels.get(crop.offset(x, y) + channel)
                    )
                }
            }
        }
    }

    @Test
    fun theWholeFrameIsItself() {
        val frame = numbered(8, 6, rowPadding = 0)
        assertSame(frame, frame.cropped(0, 0, 8, 6))
    }

    @Test(expected = IllegalArgumentException::class)
    fun aCropPastTheEdgeIsRefused() {
        numbered(8, 6, rowPadding = 0).cropped(4, 0, 5, 6)
    }
}
