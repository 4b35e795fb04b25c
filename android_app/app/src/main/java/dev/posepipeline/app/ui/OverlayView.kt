package dev.posepipeline.app.ui

import android.content.Context
import android.graphics.Canvas
import android.graphics.Color
import android.graphics.Paint
import android.util.AttributeSet
import android.view.View
import dev.posepipeline.app.camera.ViewTransform
import dev.posepipeline.app.data.Bone
import dev.posepipeline.app.data.Pose
import dev.posepipeline.app.data.Side

/**
 * Draws the skeleton over the camera preview: a dot per joint and a line per bone, left side
 * in one colour, right side in another, centre joints in a third. A joint is drawn only when its
 * own confidence reaches [threshold]; a bone only when both of its joints do.
 */
class OverlayView @JvmOverloads constructor(context: Context, attributes: AttributeSet? = null) :
    View(context, attributes) {
    private val density = resources.displayMetrics.density
    private val bonePaint = Paint(Paint.ANTI_ALIAS_FLAG).apply {
        strokeWidth = 4f * density
        strokeCap = Paint.Cap.ROUND
        style = Paint.Style.STROKE
    }
    private val jointPaint = Paint(Paint.ANTI_ALIAS_FLAG).apply { style = Paint.Style.FILL }
    private val jointRadius = 5f * density

    private var pose: Pose? = null
    private var skeleton: List<Bone> = emptyList()
    private var frameWidth = 0
    private var frameHeight = 0
    private var mirrored = false
    private var fill = true

    /** Minimum confidence for a joint to be drawn, 0..1. */
    var threshold: Float = DEFAULT_THRESHOLD
        set(value) {
            field = value
            invalidate()
        }

    /** The bones to draw, from the model metadata. */
    fun setSkeleton(bones: List<Bone>) {
        skeleton = bones
        invalidate()
    }

    /**
     * Shows [pose] (upright-frame pixels of a [width] x [height] frame); [mirrored] for the
     * front camera, whose preview is mirrored; [fill] as [ViewTransform.fill] says how the picture is
     * shown. A null [pose] (nobody found) clears the skeleton.
     * Call on the main thread.
     */
    fun setPose(pose: Pose?, width: Int, height: Int, mirrored: Boolean, fill: Boolean = true) {
        this.pose = pose
        frameWidth = width
        frameHeight = height
        this.mirrored = mirrored
        this.fill = fill
        invalidate()
    }

    override fun onDraw(canvas: Canvas) {
        super.onDraw(canvas)
        val current = pose ?: return
        if (frameWidth <= 0 || frameHeight <= 0) return
        // Joints decoded in the letterbox padding around the frame are not on the picture: not drawn.
        val onPicture = current.insidePicture(frameWidth, frameHeight)
        val onScreen = onPicture.map(ViewTransform(frameWidth, frameHeight, width, height, mirrored, fill)::frameToView)
        for (bone in skeleton) {
            if (!onScreen.isShown(bone, threshold)) continue
            val from = onScreen[bone.from].position
            val to = onScreen[bone.to].position
            // A bone between two sides (e.g. the hips) takes the centre colour.
            bonePaint.color = colour(if (bone.from.side == bone.to.side) bone.from.side else Side.CENTRE)
            canvas.drawLine(from.x, from.y, to.x, to.y, bonePaint)
        }
        for (keypoint in onScreen.keypoints) {
            if (keypoint.confidence < threshold) continue
            jointPaint.color = colour(keypoint.part.side)
            canvas.drawCircle(keypoint.position.x, keypoint.position.y, jointRadius, jointPaint)
        }
    }

    private fun colour(side: Side): Int = when (side) {
        Side.LEFT -> LEFT_COLOUR
        Side.RIGHT -> RIGHT_COLOUR
        Side.CENTRE -> CENTRE_COLOUR
    }

    companion object {
        /** Threshold on start, the desktop twin's default (`python -m pose predict --threshold`). */
        const val DEFAULT_THRESHOLD = 0.3f

        private val LEFT_COLOUR = Color.rgb(66, 165, 245)
        private val RIGHT_COLOUR = Color.rgb(255, 112, 67)
        private val CENTRE_COLOUR = Color.rgb(102, 187, 106)
    }
}
