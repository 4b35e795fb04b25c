package dev.posepipeline.app.session

/**
 * The display's rotation as last told to the camera's use cases (`Surface.ROTATION_0..270`, that is
 * 0..3). A turn between the two landscapes (ROTATION_90 <-> ROTATION_270) recreates no activity,
 * so only a display listener sees it; without telling the analysis use case, frames would arrive
 * with a rotation 180 degrees off and the model would see people upside down.
 */
class DisplayRotation(initial: Int? = null) {
    /** The rotation the use cases were last given; null before the first. */
    var current: Int? = initial
        private set

    /** Records [rotation]; returns whether it differs from the last one (the use cases must be told). */
    fun update(rotation: Int): Boolean {
        require(rotation in 0..3) { "Display rotation is Surface.ROTATION_0..270 (0..3), got $rotation" }
        if (rotation == current) return false
        current = rotation
        return true
    }
}
