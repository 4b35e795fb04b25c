package dev.posepipeline.app.ml

import java.io.Closeable
import java.nio.ByteBuffer

/**
 * Runs the model once: raw input tensor in, raw output tensor out. The only part of pose
 * detection that needs the LiteRT runtime ([LiteRtTensorRunner] on the device; the JVM tests
 * substitute golden outputs).
 */
interface TensorRunner : Closeable {
    /** A short label of what runs the model, shown on screen ("GPU", "CPU"). */
    val accelerator: String

    /**
     * Runs the model on [input] (batch 1, laid out as [InputSpec] says, positioned at 0) and
     * writes the raw output into [output] (positioned at 0, [OutputSpec.byteCount] bytes).
     */
    fun run(input: ByteBuffer, output: ByteBuffer)
}
