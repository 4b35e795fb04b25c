package dev.posepipeline.app.data

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

class PoseTest {
    private val pose = Pose(BodyPart.values().map { Keypoint(it, Point(it.ordinal.toFloat(), 0f), it.ordinal / 20f) })

    @Test
    fun bodyPartsFollowTheMpiiModelOrder() {
        assertEquals(
            listOf(
                "r_ankle", "r_knee", "r_hip", "l_hip", "l_knee", "l_ankle", "pelvis", "thorax",
                "upper_neck", "head_top", "r_wrist", "r_elbow", "r_shoulder", "l_shoulder", "l_elbow", "l_wrist"
            ),
            BodyPart.jointNames
        )
        for (part in BodyPart.values()) {
            val expected = when {
                part.jointName.startsWith("l_") -> Side.LEFT
                part.jointName.startsWith("r_") -> Side.RIGHT
                else -> Side.CENTRE
            }
            assertEquals(part.name, expected, part.side)
        }
    }

    @Test
    fun thresholdIsPerJoint() {
        assertTrue(pose.isShown(BodyPart.THORAX, 0.35f)) // 7 / 20
        assertFalse(pose.isShown(BodyPart.PELVIS, 0.35f)) // 6 / 20
        assertFalse(pose.isShown(Bone(BodyPart.PELVIS, BodyPart.THORAX), 0.35f))
        assertTrue(pose.isShown(Bone(BodyPart.THORAX, BodyPart.UPPER_NECK), 0.35f))
    }

    @Test
    fun mapMovesPositionsOnly() {
        val moved = pose.map { Point(it.x * 2, it.y + 1) }
        assertEquals(Point(14f, 1f), moved[BodyPart.THORAX].position)
        assertEquals(pose[BodyPart.THORAX].confidence, moved[BodyPart.THORAX].confidence, 0f)
    }
}
