package dev.posepipeline.app.data

/** Which side of the body a joint is on, from the person's own point of view. */
enum class Side {
    LEFT,
    RIGHT,
    CENTRE
}
