package dev.posepipeline.app.tracking

import dev.posepipeline.app.camera.Frames
import dev.posepipeline.app.camera.RgbaFrame
import dev.posepipeline.app.ml.InputSpec
import dev.posepipeline.app.ml.ModelSpec
import dev.posepipeline.app.ml.OutputSpec
import dev.posepipeline.app.ml.TensorRunner
import dev.posepipeline.app.ml.TensorType
import java.nio.ByteBuffer
import kotlin.math.exp
import kotlin.math.roundToInt

/**
 * Test stand-in for a pose model, the twin of `RectangleModel` in `tests/test_person.py`: every
 * joint at a fixed place inside the bright region of its input. It sees only the input tensor, as
 * a real model does, so the sampling of crops, the letterbox and the mappings back to frame
 * pixels are what the tests check.
 */
object Rectangles {
    private const val JOINTS = 16

    /**
     * A 128 x 128 uint8 model with 32 x 32 heatmaps (stride 4), centroid decoding, Python's finder
     * defaults but no mirrored last pass: the diagonal layout is not its own mirror image.
     */
    val spec = ModelSpec(
        InputSpec(128, 128, 3, TensorType.UINT8),
        OutputSpec(32, 32, JOINTS, 4, 1f / 256, 0, TensorType.UINT8),
        "centroid",
        emptyList(),
        emptyList(),
        FinderSettings(mirrorLastPass = false)
    )

    /** The left/right pairs of the model's joint order (`FLIP_PAIRS` of `pose/joints.py`). */
    val flipPairs = listOf(0 to 5, 1 to 4, 2 to 3, 10 to 15, 11 to 14, 12 to 13)

    /** [spec] with the flip pairs, for the mirrored pass. */
    val mirroringSpec = spec.copy(flipPairs = flipPairs)

    /**
     * A layout the mirror maps onto itself (`SYMMETRIC` in `tests/test_person.py`): each left joint
     * where its right partner is, mirrored; the centre joints on the midline. Fractions x, y.
     */
    private val symmetric = arrayOf(
        0.3 to 0.95, 0.35 to 0.75, 0.4 to 0.55, 0.6 to 0.55, 0.65 to 0.75, 0.7 to 0.95,
        0.5 to 0.55, 0.5 to 0.3, 0.5 to 0.2, 0.5 to 0.05,
        0.1 to 0.5, 0.2 to 0.4, 0.3 to 0.3, 0.7 to 0.3, 0.8 to 0.4, 0.9 to 0.5
    )

    /** Where joint `j` sits inside the rectangle, as fractions of its width and height. */
    private fun relativeX(joint: Int, mirrorable: Boolean) =
        if (mirrorable) symmetric[joint].first else 0.1 + 0.8 * joint / (JOINTS - 1)

    private fun relativeY(joint: Int, mirrorable: Boolean) =
        if (mirrorable) symmetric[joint].second else 0.95 - 0.9 * joint / (JOINTS - 1)

    /**
     * The joints of a white rectangle covering pixels [x0] until [x1], [y0] until [y1] (pixel edges),
     * in the diagonal layout or, with [mirrorable], the symmetric one.
     */
    fun truth(x0: Int, y0: Int, x1: Int, y1: Int, mirrorable: Boolean = false): Pair<DoubleArray, DoubleArray> = Pair(
        DoubleArray(JOINTS) { x0 - 0.5 + relativeX(it, mirrorable) * (x1 - x0) },
        DoubleArray(JOINTS) { y0 - 0.5 + relativeY(it, mirrorable) * (y1 - y0) }
    )

    /** A black upright [width] x [height] frame with a white rectangle ([box]: x0, y0, x1, y1; none if null), in sensor orientation. */
    fun frame(width: Int, height: Int, box: IntArray?, rotation: Int = 0): RgbaFrame {
        val rgb = ByteArray(width * height * 3)
        if (box != null) {
            for (y in box[1] until box[3]) {
                for (x in box[0] until box[2]) {
                    for (channel in 0 until 3) rgb[(y * width + x) * 3 + channel] = -1
                }
            }
        }
        return Frames.sensorFrame(rgb, width, height, rotation)
    }

    /** Writes the raw output of [spec] for joints at input pixels ([x], [y]) into [output] (absolute puts). */
    fun render(spec: ModelSpec, x: DoubleArray?, y: DoubleArray?, output: ByteBuffer) {
        val out = spec.output
        val sigma = 1.5
        for (row in 0 until out.height) {
            for (column in 0 until out.width) {
                for (joint in 0 until out.joints) {
                    var value = 0.0
                    if (x != null && y != null) {
                        val dx = column - ((x[joint] + 0.5) / out.stride - 0.5)
                        val dy = row - ((y[joint] + 0.5) / out.stride - 0.5)
                        value = 0.9 * exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))
                    }
                    val index = (row * out.width + column) * out.joints + joint
                    val raw = value / out.scale + out.zeroPoint
                    when (out.type) {
                        TensorType.UINT8 -> output.put(index, raw.roundToInt().coerceIn(0, 255).toByte())
                        TensorType.INT8 -> output.put(index, raw.roundToInt().coerceIn(-128, 127).toByte())
                        TensorType.FLOAT32 -> output.putFloat(4 * index, raw.toFloat())
                    }
                }
            }
        }
    }

    /**
     * The model: finds the bright region of its (uint8 or float32) input and renders the joints
     * inside it, in the symmetric layout with [mirrorable], each [shift] input pixels to the right
     * (a model wrong left to right, which a mirrored run is wrong the other way).
     */
    class Runner(
        private val spec: ModelSpec = Rectangles.spec,
        private val mirrorable: Boolean = false,
        private val shift: Double = 0.0
    ) : TensorRunner {
        override val accelerator = "rectangles"
        var calls = 0

        override fun run(input: ByteBuffer, output: ByteBuffer) {
            calls++
            val width = spec.input.width
            val height = spec.input.height
            var left = Int.MAX_VALUE
            var top = Int.MAX_VALUE
            var right = -1
            var bottom = -1
            for (v in 0 until height) {
                for (u in 0 until width) {
                    var sum = 0.0
                    for (channel in 0 until 3) {
                        val index = (v * width + u) * 3 + channel
                        sum += if (spec.input.type == TensorType.FLOAT32) {
                            input.getFloat(4 * index).toDouble()
                        } else {
                            (input.get(index).toInt() and 0xFF).toDouble()
                        }
                    }
                    if (sum / 3 > 127) {
                        left = minOf(left, u)
                        top = minOf(top, v)
                        right = maxOf(right, u)
                        bottom = maxOf(bottom, v)
                    }
                }
            }
            if (right < 0) {
                render(spec, null, null, output)
                return
            }
            // The region's pixel edges, so partly covered pixels do not bias it.
            val (x, y) = truth(left, top, right + 1, bottom + 1, mirrorable)
            for (joint in x.indices) x[joint] += shift
            render(spec, x, y, output)
        }

        override fun close() = Unit
    }
}
