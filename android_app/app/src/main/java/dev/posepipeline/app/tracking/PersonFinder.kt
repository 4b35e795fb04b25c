package dev.posepipeline.app.tracking

import dev.posepipeline.app.camera.CropAffine
import dev.posepipeline.app.ml.Dequantizer
import dev.posepipeline.app.ml.HeatmapDecoders
import dev.posepipeline.app.ml.Heatmaps
import dev.posepipeline.app.ml.ModelSpec
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * Finds one person in a frame and follows it from frame to frame: the twin of
 * `pose/inference/person.py` (`find_person`, `track_person`, `box_affine`), step for step, so
 * the app asks the model for the same crops as Python and reaches the same keypoints. The
 * golden tracking sequences written by the pipeline's deploy stage hold the two together.
 *
 * - [find]: the whole frame letterboxed into the input, then up to `passes - 1` times a crop
 *   around the confident joints of the previous pass, stopping once the next crop would overlap
 *   the last one by [FinderSettings.settleIou] (the first crop always runs).
 * - [track]: one pass on the crop around the previous frame's person; if nobody is found there
 *   (or there was no person), [find] on the whole frame.
 *
 * With [FinderSettings.mirrorLastPass] the last crop of a search, and a held track's crop, is run
 * once more mirrored and the two heatmaps averaged (`_mirror_averaged_steps` in Python): the mirrored maps are
 * mirrored back and their left/right channels ([ModelSpec.flipPairs]) swapped.
 *
 * Keypoints come back in upright-frame pixels; the person's score is the mean confidence of the
 * last pass, and it is found when that reaches [FinderSettings.personThreshold].
 * Not thread-safe (one output buffer); use it from one thread.
 *
 * @param spec the model metadata (input size, output layout, decoder).
 * @param settings how to search; by default the metadata's `person_finder`.
 */
class PersonFinder(private val spec: ModelSpec, val settings: FinderSettings = spec.finder) {
    private val decoder = HeatmapDecoders.forName(spec.decoder)
    private val output: ByteBuffer = ByteBuffer.allocateDirect(spec.output.byteCount).order(ByteOrder.nativeOrder())
    private val values = FloatArray(spec.output.elementCount)
    private val mirroredValues = FloatArray(spec.output.elementCount)

    /** `flipped[k] = joints[partner[k]]`: each joint's left/right partner, itself for the centre joints. */
    private val partner = IntArray(spec.output.joints) { it }.also { partner ->
        for ((left, right) in spec.flipPairs) {
            partner[left] = right
            partner[right] = left
        }
    }

    /** Searches the whole [frameWidth] x [frameHeight] upright frame (`find_person`): at most `passes` runs. */
    fun find(frameWidth: Int, frameHeight: Int, model: CropModel): Person {
        var crop = CropAffine.letterbox(frameWidth, frameHeight, spec.input.width, spec.input.height)
        var pass = run(model, crop)
        var cropped = false
        for (extra in 1 until settings.passes) {
            val next = boxAffine(pass) ?: break
            if (extra > 1 && next.overlap(crop, spec.input.width, spec.input.height) >= settings.settleIou) break
            crop = next
            pass = run(model, crop)
            cropped = true
        }
        // The whole frame held nothing to crop around: no crop to mirror either.
        return if (cropped) lastPass(model, crop, pass) else pass
    }

    /**
     * The person in the next frame (`track_person`): one pass on the crop around [previous] when it
     * was found, and if that finds nobody a whole-frame [find]. A lost track costs one frame of
     * full search.
     */
    fun track(frameWidth: Int, frameHeight: Int, previous: Person?, model: CropModel): Person {
        if (previous != null && previous.found) {
            val crop = boxAffine(previous)
            if (crop != null) {
                val person = run(model, crop)
                // The track holds (judged on the plain run: a lost track costs no mirrored run).
                if (person.found) return lastPass(model, crop, person)
            }
        }
        return find(frameWidth, frameHeight, model)
    }

    /**
     * The crop around [person]'s confident joints (`box_affine`), or null when fewer than
     * [FinderSettings.minJoints] reach [FinderSettings.jointThreshold]: centred on the joints'
     * bounding box, its shorter input side spanning [FinderSettings.cropMargin] times the box's
     * longer side.
     */
    fun boxAffine(person: Person): CropAffine? {
        // numpy compares the float32 confidences with the threshold in float32.
        val threshold = settings.jointThreshold.toFloat()
        var count = 0
        var lowX = Double.POSITIVE_INFINITY
        var lowY = Double.POSITIVE_INFINITY
        var highX = Double.NEGATIVE_INFINITY
        var highY = Double.NEGATIVE_INFINITY
        for (joint in 0 until person.joints) {
            if (!(person.confidences[joint] >= threshold)) continue
            count++
            lowX = minOf(lowX, person.x[joint])
            lowY = minOf(lowY, person.y[joint])
            highX = maxOf(highX, person.x[joint])
            highY = maxOf(highY, person.y[joint])
        }
        if (count < settings.minJoints) return null
        val size = maxOf(highX - lowX, highY - lowY, 1.0)
        return CropAffine.around(
            (lowX + highX) / 2,
            (lowY + highY) / 2,
            size,
            settings.cropMargin,
            spec.input.width,
            spec.input.height
        )
    }

    /**
     * The person of the last crop: [plain] itself, or with [FinderSettings.mirrorLastPass] the
     * heatmaps of [crop] (still in [values]: no run since) averaged with a mirrored run's.
     */
    private fun lastPass(model: CropModel, crop: CropAffine, plain: Person): Person {
        if (!settings.mirrorLastPass) return plain
        output.clear()
        model.run(crop, output, mirrored = true)
        output.rewind()
        Dequantizer.dequantize(output, spec.output, mirroredValues)
        val height = spec.output.height
        val width = spec.output.width
        val joints = spec.output.joints
        for (row in 0 until height) {
            for (column in 0 until width) {
                val base = (row * width + column) * joints
                val mirroredBase = (row * width + width - 1 - column) * joints
                for (joint in 0 until joints) {
                    // float32 throughout, as numpy averages the float32 maps.
                    values[base + joint] = (values[base + joint] + mirroredValues[mirroredBase + partner[joint]]) / 2f
                }
            }
        }
        return decodeValues(crop)
    }

    /** One model pass on [crop]: the keypoints mapped back to frame pixels, scored. */
    private fun run(model: CropModel, crop: CropAffine): Person {
        output.clear()
        model.run(crop, output)
        output.rewind()
        Dequantizer.dequantize(output, spec.output, values)
        return decodeValues(crop)
    }

    /** The heatmaps in [values], of a run on [crop], decoded into a person in frame pixels. */
    private fun decodeValues(crop: CropAffine): Person {
        val decoded = decoder.decode(Heatmaps(spec.output.height, spec.output.width, spec.output.joints, values))
        val joints = decoded.positions.size
        val x = DoubleArray(joints)
        val y = DoubleArray(joints)
        val stride = spec.output.stride
        var sum = 0.0
        for (joint in 0 until joints) {
            // Heatmap -> input pixels (`heatmap_to_crop`) in double precision, then input -> frame.
            val heatmap = decoded.positions[joint]
            x[joint] = crop.inputToFrameX((heatmap.x + 0.5) * stride - 0.5)
            y[joint] = crop.inputToFrameY((heatmap.y + 0.5) * stride - 0.5)
            sum += decoded.confidences[joint]
        }
        val score = sum / joints
        return Person(x, y, decoded.confidences, score, score >= settings.personThreshold, crop)
    }
}
