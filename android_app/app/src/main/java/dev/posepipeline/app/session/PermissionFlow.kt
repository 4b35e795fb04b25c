package dev.posepipeline.app.session

/** What the screen does next about the camera permission. */
enum class PermissionStep {
    /** Permission held: open the camera. */
    START_CAMERA,

    /** Show the system's permission dialog. */
    REQUEST,

    /** A request is already on screen (e.g. the activity was recreated under the dialog): do nothing. */
    WAIT,

    /** Denied once: explain why the camera is needed, with a button that asks again. */
    EXPLAIN_AND_ASK,

    /** Denied for good ("don't ask again"): explain, with a button to the app's system settings. */
    EXPLAIN_AND_OPEN_SETTINGS
}

/**
 * The camera permission decisions, apart from Android: ask once, never twice for the same dialog
 * when the activity is recreated under it, and after a permanent denial (the system no longer
 * shows the dialog and no longer wants a rationale) send the user to the app's settings instead
 * of asking in vain. Returning from the settings with the permission granted starts the camera.
 *
 * @param requestInFlight whether a request was launched and has not answered yet (saved across
 *   configuration changes: the result is delivered to the recreated activity).
 */
class PermissionFlow(requestInFlight: Boolean = false) {
    /** Whether a request is waiting for its answer; save it with the activity's state. */
    var requestInFlight: Boolean = requestInFlight
        private set

    /** The screen was created (first start or recreation); [granted] is the current permission. */
    fun onCreate(granted: Boolean): PermissionStep = when {
        granted -> {
            requestInFlight = false
            PermissionStep.START_CAMERA
        }

        requestInFlight -> PermissionStep.WAIT

        else -> request()
    }

    /**
     * The dialog answered. [showRationale] is `shouldShowRequestPermissionRationale` after a denial:
     * false then means the system will not ask again.
     */
    fun onResult(granted: Boolean, showRationale: Boolean): PermissionStep {
        requestInFlight = false
        return when {
            granted -> PermissionStep.START_CAMERA
            showRationale -> PermissionStep.EXPLAIN_AND_ASK
            else -> PermissionStep.EXPLAIN_AND_OPEN_SETTINGS
        }
    }

    /** The user tapped "grant" on the explanation. */
    fun onAskAgain(): PermissionStep = if (requestInFlight) PermissionStep.WAIT else request()

    /**
     * The screen came back to the foreground (e.g. from the app's settings). Returns
     * [PermissionStep.START_CAMERA] when the permission is now held and the camera is not running,
     * else null (nothing to change).
     */
    fun onResume(granted: Boolean, cameraStarted: Boolean): PermissionStep? =
        if (granted && !cameraStarted && !requestInFlight) PermissionStep.START_CAMERA else null

    private fun request(): PermissionStep {
        requestInFlight = true
        return PermissionStep.REQUEST
    }
}
