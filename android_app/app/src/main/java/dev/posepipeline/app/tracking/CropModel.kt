package dev.posepipeline.app.tracking

import dev.posepipeline.app.camera.CropAffine
import java.nio.ByteBuffer

/**
 * The model run on one crop of the frame being analysed: what [PersonFinder] needs from the camera
 * and the runtime. The app samples the crop from the camera frame and runs LiteRT
 * ([dev.posepipeline.app.ml.HeatmapPoseDetector]); tests replay recorded outputs.
 */
interface CropModel {
    /**
     * Runs the model on the crop [crop] (upright frame -> model input) of the current frame and
     * writes the raw output tensor (HWC, the model's dtype, [dev.posepipeline.app.ml.OutputSpec.byteCount]
     * bytes) into [output], which is positioned at 0. With [mirrored] the model sees the crop
     * mirrored left to right (input column `u` holds what column `width - 1 - u` would).
     */
    fun run(crop: CropAffine, output: ByteBuffer, mirrored: Boolean = false)
}
