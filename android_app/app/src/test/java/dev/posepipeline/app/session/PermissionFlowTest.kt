package dev.posepipeline.app.session

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The camera permission: ask once, never twice for one dialog, settings after "don't ask again". */
class PermissionFlowTest {
    @Test
    fun grantedStartsTheCameraWithoutAsking() {
        assertEquals(PermissionStep.START_CAMERA, PermissionFlow().onCreate(granted = true))
    }

    @Test
    fun aRecreationUnderTheDialogDoesNotAskAgain() {
        val first = PermissionFlow()
        assertEquals(PermissionStep.REQUEST, first.onCreate(granted = false))
        assertTrue(first.requestInFlight)
        // Rotated while the dialog shows: the activity is recreated with the saved flag.
        val recreated = PermissionFlow(first.requestInFlight)
        assertEquals(PermissionStep.WAIT, recreated.onCreate(granted = false))
        assertEquals(PermissionStep.START_CAMERA, recreated.onResult(granted = true, showRationale = false))
        assertFalse(recreated.requestInFlight)
    }

    @Test
    fun aFirstDenialExplainsAndOffersToAskAgain() {
        val flow = PermissionFlow()
        flow.onCreate(granted = false)
        assertEquals(PermissionStep.EXPLAIN_AND_ASK, flow.onResult(granted = false, showRationale = true))
        assertEquals(PermissionStep.REQUEST, flow.onAskAgain())
        assertEquals("a second tap while the dialog shows", PermissionStep.WAIT, flow.onAskAgain())
    }

    @Test
    fun dontAskAgainLeadsToTheSettingsAndBackStartsTheCamera() {
        val flow = PermissionFlow()
        flow.onCreate(granted = false)
        assertEquals(PermissionStep.EXPLAIN_AND_OPEN_SETTINGS, flow.onResult(granted = false, showRationale = false))
        assertNull("still denied on return", flow.onResume(granted = false, cameraStarted = false))
        assertEquals(PermissionStep.START_CAMERA, flow.onResume(granted = true, cameraStarted = false))
        assertNull("already running", flow.onResume(granted = true, cameraStarted = true))
    }

    @Test
    fun resumingWhileTheDialogShowsChangesNothing() {
        val flow = PermissionFlow()
        flow.onCreate(granted = false)
        assertNull(flow.onResume(granted = false, cameraStarted = false))
    }
}
