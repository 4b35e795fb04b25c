package dev.posepipeline.app.data

/**
 * A position in some image's pixel grid, in pixels.
 *
 * Convention used throughout the app and the Python pipeline: (0, 0) is the centre of the
 * top-left pixel, x grows to the right and y downwards, so pixel `i` spans `i - 0.5 .. i + 0.5`.
 * Which image a point refers to is part of the name of the value holding it.
 */
data class Point(val x: Float, val y: Float)
