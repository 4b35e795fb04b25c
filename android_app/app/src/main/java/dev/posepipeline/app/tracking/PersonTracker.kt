package dev.posepipeline.app.tracking

/**
 * The per-frame loop of `pose predict` on a video (`pose.deploy.predict`): [PersonFinder.track]
 * from the previous frame's person, and while the person is found its keypoints smoothed by the
 * [OneEuroFilter] at the frame's time; when nobody is found the filter is reset.
 *
 * @param finder finds and tracks the person.
 * @param smoother smooths the found person's keypoints.
 */
class PersonTracker(val finder: PersonFinder, private val smoother: OneEuroFilter = OneEuroFilter()) {
    private var previous: Person? = null

    /**
     * The person in the next [frameWidth] x [frameHeight] upright frame, taken at [timeSeconds],
     * with [model] running the model on the crops the finder asks for.
     */
    fun next(frameWidth: Int, frameHeight: Int, timeSeconds: Double, model: CropModel): TrackedFrame {
        val person = finder.track(frameWidth, frameHeight, previous, model)
        previous = person
        if (!person.found) {
            smoother.reset()
            return TrackedFrame(person, null)
        }
        return TrackedFrame(person, smoother.smooth(person, timeSeconds))
    }

    /** Forgets the person: the next frame is searched whole (another camera, another frame orientation). */
    fun reset() {
        previous = null
        smoother.reset()
    }
}

/**
 * One frame's result.
 *
 * @property person the last model pass's person (unsmoothed keypoints, score, found flag, crop).
 * @property smoothed [person] with smoothed keypoints, what is shown; null when nobody was found.
 */
class TrackedFrame(val person: Person, val smoothed: Person?)
