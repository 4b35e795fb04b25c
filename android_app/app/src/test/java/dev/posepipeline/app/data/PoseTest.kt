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

    @Test
    fun jointsOutsideThePictureAreNotShown() {
        val placed = Pose(
            BodyPart.values().map {
                val x = when (it) {
                    BodyPart.RIGHT_ANKLE -> -3f

                    // in the letterbox padding left of the frame
                    BodyPart.LEFT_ANKLE -> 99.6f

                    // past the right edge of a 100-pixel frame
                    BodyPart.HEAD_TOP -> 99.4f

                    // the last pixel column
                    else -> 50f
                }
                Keypoint(it, Point(x, if (it == BodyPart.THORAX) -0.6f else 10f), 0.9f)
            }
        )
        val inside = placed.insidePicture(100, 80)
        assertFalse(inside.isShown(BodyPart.RIGHT_ANKLE, 0.1f))
        assertFalse(inside.isShown(BodyPart.LEFT_ANKLE, 0.1f))
        assertFalse(inside.isShown(BodyPart.THORAX, 0.1f))
        assertFalse(inside.isShown(Bone(BodyPart.THORAX, BodyPart.UPPER_NECK), 0.1f))
        assertTrue(inside.isShown(BodyPart.HEAD_TOP, 0.1f))
        assertTrue(inside.isShown(BodyPart.PELVIS, 0.1f))
        assertEquals("positions kept", -3f, inside[BodyPart.RIGHT_ANKLE].position.x, 0f)
    }

    @Test
    fun confidenceLinesNameEveryJointInModelOrder() {
        val lines = pose.confidenceLines(0.35f)
        assertEquals(BodyPart.values().size, lines.size)
        assertEquals("r_ankle    0.00 (hidden)", lines[0])
        assertEquals("thorax     0.35", lines[7])
        assertEquals("l_wrist    0.75", lines[15])
    }
}
