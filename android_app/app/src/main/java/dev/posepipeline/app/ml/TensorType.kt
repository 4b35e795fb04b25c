package dev.posepipeline.app.ml

/**
 * Element types a tensor of the deployed model can have, named as numpy names them in the
 * metadata's `dtype` fields.
 *
 * @property jsonName the metadata spelling.
 * @property bytes bytes per element.
 */
enum class TensorType(val jsonName: String, val bytes: Int) {
    UINT8("uint8", 1),
    INT8("int8", 1),
    FLOAT32("float32", 4);

    companion object {
        /** The type spelled [name] in the metadata, or null when the app does not handle it. */
        fun fromJsonName(name: String): TensorType? = values().firstOrNull { it.jsonName == name }
    }
}
