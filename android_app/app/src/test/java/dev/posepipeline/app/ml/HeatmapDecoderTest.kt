package dev.posepipeline.app.ml

import dev.posepipeline.app.data.Point
import java.nio.ByteBuffer
import java.nio.ByteOrder
import kotlin.math.exp
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

/** Decoders on synthetic maps, against what `pose/decode.py` does. */
class HeatmapDecoderTest {
    private fun single(height: Int, width: Int, cells: Map<Pair<Int, Int>, Float>): Heatmaps {
        val values = FloatArray(height * width)
        for ((cell, value) in cells) values[cell.first * width + cell.second] = value
        return Heatmaps(height, width, 1, values)
    }

    private fun gaussian(height: Int, width: Int, x: Double, y: Double, sigma: Double): Heatmaps {
        val values = FloatArray(height * width)
        for (row in 0 until height) {
            for (column in 0 until width) {
                val d2 = (column - x) * (column - x) + (row - y) * (row - y)
                values[row * width + column] = exp(-d2 / (2 * sigma * sigma)).toFloat()
            }
        }
        return Heatmaps(height, width, 1, values)
    }

    @Test
    fun argmaxTiesGoToTheFirstCellInRowMajorOrder() {
        val maps = single(4, 5, mapOf(Pair(1, 3) to 0.5f, Pair(2, 0) to 0.5f, Pair(3, 4) to 0.5f))
        assertEquals(Peak(1, 3, 0.5f), maps.peak(0))
        assertEquals(Point(3f, 1f), ArgmaxDecoder.decode(maps).positions[0])
        val flat = Heatmaps(3, 3, 1, FloatArray(9))
        assertEquals(Peak(0, 0, 0f), flat.peak(0))
    }

    @Test
    fun peaksAreFoundPerChannelInHwcLayout() {
        // 2 x 2 x 2: channel 0 peaks at (1, 0), channel 1 at (0, 1).
        val maps = Heatmaps(2, 2, 2, floatArrayOf(0f, 0f, 0f, 0.9f, 0.8f, 0f, 0f, 0f))
        assertEquals(Peak(1, 0, 0.8f), maps.peak(0))
        assertEquals(Peak(0, 1, 0.9f), maps.peak(1))
    }

    @Test
    fun centroidOfAFlatTopIsItsCentreAndIgnoresNegatives() {
        val cells = HashMap<Pair<Int, Int>, Float>()
        for (row in 4..5) for (column in 3..5) cells[Pair(row, column)] = 0.5f
        cells[Pair(6, 4)] = -3f
        val decoded = CentroidDecoder().decode(single(10, 10, cells))
        assertEquals(4f, decoded.positions[0].x, 1e-6f)
        assertEquals(4.5f, decoded.positions[0].y, 1e-6f)
        assertEquals(0.5f, decoded.confidences[0], 0f)
    }

    @Test
    fun centroidCountsCellsOutsideTheMapAsZero() {
        val decoded = CentroidDecoder().decode(single(5, 5, mapOf(Pair(0, 0) to 1f, Pair(0, 1) to 1f)))
        assertEquals(Point(0.5f, 0f), decoded.positions[0])
        val empty = CentroidDecoder().decode(Heatmaps(3, 3, 1, FloatArray(9)))
        assertEquals(Point(0f, 0f), empty.positions[0])
    }

    @Test
    fun centroidRecoversASymmetricBlobCentre() {
        val decoded = CentroidDecoder().decode(gaussian(16, 16, 7.0, 9.0, 1.0))
        assertEquals(Point(7f, 9f), decoded.positions[0])
    }

    @Test
    fun quarterOffsetMovesTowardsTheHigherNeighbourAndClampsAtBorders() {
        val inside = single(5, 5, mapOf(Pair(2, 2) to 1f, Pair(2, 3) to 0.5f, Pair(1, 2) to 0.5f))
        assertEquals(Point(2.25f, 1.75f), QuarterOffsetDecoder.decode(inside).positions[0])
        // Peak in the corner: the clamped "outside" neighbour is the peak itself, higher than the
        // real neighbour, so the point moves a quarter pixel outwards, as pose/decode.py does
        // (checked there: argmax_with_quarter_offset gives -0.25, -0.25 for this map).
        val corner = single(5, 5, mapOf(Pair(0, 0) to 1f, Pair(0, 1) to 0.5f, Pair(1, 0) to 0.5f))
        assertEquals(Point(-0.25f, -0.25f), QuarterOffsetDecoder.decode(corner).positions[0])
        val balanced = single(5, 5, mapOf(Pair(2, 2) to 1f, Pair(2, 1) to 0.5f, Pair(2, 3) to 0.5f))
        assertEquals(Point(2f, 2f), QuarterOffsetDecoder.decode(balanced).positions[0])
    }

    @Test
    fun darkIsExactOnAGaussian() {
        val decoded = DarkDecoder.decode(gaussian(32, 32, 10.3, 20.6, 2.0))
        assertEquals(10.3f, decoded.positions[0].x, 1e-3f)
        assertEquals(20.6f, decoded.positions[0].y, 1e-3f)
    }

    @Test
    fun darkTreatsTheZeroPaddingLikePython() {
        // A constant map peaks at (0, 0); the padding outside reads as log(1e-10), which pulls the
        // step inwards: pose/decode.py's dark_refinement gives (0.6666667, 0.6666667) here.
        val flat = Heatmaps(10, 10, 1, FloatArray(100) { 0.5f })
        val decoded = DarkDecoder.decode(flat).positions[0]
        assertEquals(0.6666667f, decoded.x, 1e-6f)
        assertEquals(0.6666667f, decoded.y, 1e-6f)
    }

    @Test
    fun darkMatchesPythonOnSmallCases() {
        // A lone spike: zero gradient, no step.
        assertEquals(Point(4f, 3f), DarkDecoder.decode(single(8, 8, mapOf(Pair(3, 4) to 1f))).positions[0])
        // A flat top three cells wide: the first maximum (column 4) steps half a pixel towards
        // its equal right neighbour; pose/decode.py gives (4.5, 3) for this map too.
        val ridge = HashMap<Pair<Int, Int>, Float>()
        for (column in 0..7) ridge[Pair(3, column)] = if (column in 4..6) 1.5f else 1f
        assertEquals(Point(4.5f, 3f), DarkDecoder.decode(single(8, 8, ridge)).positions[0])
    }

    @Test
    fun dequantisesUint8Int8AndFloat32() {
        val uint8 = OutputSpec(2, 1, 1, 4, 0.5f, 10, TensorType.UINT8)
        assertEquals(listOf(-5f, 122.5f), Dequantizer.dequantize(ByteBuffer.wrap(byteArrayOf(0, -1)), uint8).toList())
        val int8 = OutputSpec(2, 1, 1, 4, 0.5f, -128, TensorType.INT8)
        assertEquals(listOf(0f, 127.5f), Dequantizer.dequantize(ByteBuffer.wrap(byteArrayOf(-128, 127)), int8).toList())
        val float32 = OutputSpec(2, 1, 1, 4, 1f, 0, TensorType.FLOAT32)
        val buffer = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putFloat(0.25f).putFloat(-1f)
        buffer.rewind()
        assertEquals(listOf(0.25f, -1f), Dequantizer.dequantize(buffer, float32).toList())
    }

    @Test
    fun unknownDecoderNamesTheKnownOnes() {
        try {
            HeatmapDecoders.forName("soft_argmax")
            fail("accepted an unknown decoder")
        } catch (expected: IllegalArgumentException) {
            assertTrue(expected.message!!, expected.message!!.contains("argmax, quarter_offset, dark, centroid"))
        }
        assertEquals(listOf("argmax", "quarter_offset", "dark", "centroid"), HeatmapDecoders.names)
    }
}
