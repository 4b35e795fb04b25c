package dev.posepipeline.app.ml

/**
 * The model input: one RGB image, HWC, pixel values 0..255 (the model normalises inside).
 *
 * @property width input width, pixels.
 * @property height input height, pixels.
 * @property channels always 3 (RGB).
 * @property type [TensorType.UINT8] (quantised models) or [TensorType.FLOAT32] (float models).
 */
data class InputSpec(val width: Int, val height: Int, val channels: Int, val type: TensorType) {
    /** Size of the input tensor (batch 1), bytes. */
    val byteCount: Int get() = width * height * channels * type.bytes
}
