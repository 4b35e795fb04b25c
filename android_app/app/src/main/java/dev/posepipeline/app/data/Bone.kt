package dev.posepipeline.app.data

/** A line of the drawn skeleton between two joints (one entry of `skeleton_edges` in the metadata). */
data class Bone(val from: BodyPart, val to: BodyPart)
