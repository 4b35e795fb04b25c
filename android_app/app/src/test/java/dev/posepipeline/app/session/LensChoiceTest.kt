package dev.posepipeline.app.session

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The camera switch on devices with one lens, both, or none (the app flipped its flag before checking). */
class LensChoiceTest {
    @Test
    fun aDeviceWithoutAFrontLensKeepsTheBackOneAndSaysWhy() {
        val choice = LensChoice(setOf(Lens.BACK))
        assertEquals(Lens.BACK, choice.lens)
        assertNull(choice.problem)
        assertFalse(choice.switch())
        assertEquals("the lens in use did not change", Lens.BACK, choice.lens)
        assertEquals("This device has no front camera", choice.problem)
        assertFalse(choice.switch())
        assertEquals(Lens.BACK, choice.lens)
    }

    @Test
    fun aSuccessfulSwitchClearsTheMessage() {
        val choice = LensChoice(setOf(Lens.BACK, Lens.FRONT))
        assertTrue(choice.switch())
        assertEquals(Lens.FRONT, choice.lens)
        assertNull(choice.problem)
        assertTrue(choice.switch())
        assertEquals(Lens.BACK, choice.lens)
    }

    @Test
    fun aSavedLensTheDeviceLacksFallsBackToTheOther() {
        // Saved FRONT (or restored on another device) on a back-only phone: the back camera, not none.
        val choice = LensChoice(setOf(Lens.BACK), preferred = Lens.FRONT)
        assertEquals(Lens.BACK, choice.lens)
        assertEquals("This device has no front camera", choice.problem)
        val frontOnly = LensChoice(setOf(Lens.FRONT))
        assertEquals(Lens.FRONT, frontOnly.lens)
        assertEquals("This device has no back camera", frontOnly.problem)
    }

    @Test
    fun whatIsSavedAfterAFailedSwitchRestoresTheSameCamera() {
        val choice = LensChoice(setOf(Lens.BACK))
        choice.switch()
        val restored = LensChoice(setOf(Lens.BACK), preferred = choice.lens!!)
        assertEquals(Lens.BACK, restored.lens)
        assertNull(restored.problem)
    }

    @Test
    fun noCameraAtAll() {
        val choice = LensChoice(emptySet())
        assertNull(choice.lens)
        assertEquals(LensChoice.NO_CAMERA, choice.problem)
        assertFalse(choice.switch())
    }

    @Test
    fun aSavedLensIsReadBackByName() {
        assertEquals(Lens.FRONT, Lens.named(Lens.FRONT.name))
        assertNull(Lens.named("SIDE"))
        assertNull(Lens.named(null))
    }
}
