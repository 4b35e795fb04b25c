package dev.posepipeline.app.session

import org.junit.Assert.assertEquals
import org.junit.Test

class MediaFramesTest {
    @Test
    fun videoFramesEveryTenthOfASecond() {
        assertEquals(listOf(0L, 100_000L, 200_000L), MediaFrames.videoFrameTimes(250_000L, 10.0))
        assertEquals(
            "the end itself is past the last frame",
            listOf(0L, 100_000L),
            MediaFrames.videoFrameTimes(200_000L, 10.0)
        )
        assertEquals(listOf(0L, 33_333L, 66_667L), MediaFrames.videoFrameTimes(90_000L, 30.0))
    }

    @Test
    fun aVideoOfUnknownLengthGivesItsFirstFrame() {
        assertEquals(listOf(0L), MediaFrames.videoFrameTimes(0L, 10.0))
        assertEquals(listOf(0L), MediaFrames.videoFrameTimes(-1L, 10.0))
    }

    @Test
    fun bigPicturesAreDecodedSmallerSmallOnesAsTheyAre() {
        assertEquals(Pair(1280, 960), MediaFrames.fitWithin(4000, 3000, 1280))
        assertEquals(Pair(720, 1280), MediaFrames.fitWithin(2160, 3840, 1280))
        assertEquals(Pair(640, 480), MediaFrames.fitWithin(640, 480, 1280))
        assertEquals(Pair(1, 1280), MediaFrames.fitWithin(1, 5000, 1280))
    }
}
