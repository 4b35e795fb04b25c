package dev.posepipeline.app.session

/** A camera lens the app can use. [label] is how messages name it. */
enum class Lens(val label: String) {
    BACK("back"),
    FRONT("front");

    /** The lens a switch button goes to. */
    val other: Lens get() = if (this == BACK) FRONT else BACK

    companion object {
        /** The lens whose [name] is [name] (as saved with the activity's state), or null. */
        fun named(name: String?): Lens? = values().firstOrNull { it.name == name }
    }
}

/**
 * Which lens the camera uses, decided from the lenses the device has: the one asked for if it
 * exists, else the other. A switch to a lens the device lacks keeps the current lens and says why;
 * a successful switch clears that message. [lens] is what is in use, so it is what a configuration
 * change must save (saving what was asked for would bind a missing lens after rotation).
 *
 * @param available the lenses the device has (CameraX's `hasCamera` per lens).
 * @param preferred the lens asked for: the saved one after a configuration change, else the back one.
 */
class LensChoice(private val available: Set<Lens>, preferred: Lens = Lens.BACK) {
    /** The lens in use; null when the device has no camera at all. */
    var lens: Lens? = when {
        preferred in available -> preferred
        preferred.other in available -> preferred.other
        else -> null
    }
        private set

    /** Why the lens in use is not the one asked for, or null when it is. */
    var problem: String? = when (lens) {
        null -> NO_CAMERA
        preferred -> null
        else -> missing(preferred)
    }
        private set

    /** Switches to the other lens if the device has it; returns whether the lens changed. */
    fun switch(): Boolean {
        val current = lens ?: return false
        if (current.other !in available) {
            problem = missing(current.other)
            return false
        }
        lens = current.other
        problem = null
        return true
    }

    companion object {
        const val NO_CAMERA = "This device has no camera the app can use"

        /** The message for a lens the device does not have. */
        fun missing(lens: Lens): String = "This device has no ${lens.label} camera"
    }
}
