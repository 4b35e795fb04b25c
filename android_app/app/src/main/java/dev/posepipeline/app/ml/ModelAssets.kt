package dev.posepipeline.app.ml

import android.content.Context

/** Loads the model metadata the deploy stage put into the app's assets. */
object ModelAssets {
    /** The metadata file next to [LiteRtTensorRunner.MODEL_ASSET]. */
    const val METADATA_ASSET = ModelSpec.FILE_NAME

    /** Reads and checks `pose_model.json`; problems are [IllegalArgumentException]s with a readable message. */
    fun loadSpec(context: Context): ModelSpec =
        ModelSpec.parse(context.assets.open(METADATA_ASSET).bufferedReader().use { it.readText() })

    /** A [PoseDetector] for the deployed model; on the GPU delegate if [useGpu] and it works. */
    fun createDetector(context: Context, spec: ModelSpec, useGpu: Boolean): PoseDetector =
        HeatmapPoseDetector(spec, LiteRtTensorRunner(context, spec, useGpu))
}
