package dev.posepipeline.app.json

/**
 * A parsed JSON value with the path it was found at, for typed reads with readable errors.
 *
 * Every accessor throws [IllegalArgumentException] naming the file and the path, e.g.
 * `pose_model.json: output.stride must be an integer, found 4.5`.
 *
 * @property value the raw value from [JsonReader.parse].
 * @property path where it sits, `$` for the root.
 * @property source the file name used in error messages.
 */
class JsonNode(val value: Any?, val path: String = "$", val source: String = "JSON") {
    /** Whether this is an object holding [key]. */
    fun has(key: String): Boolean = (value as? Map<*, *>)?.containsKey(key) == true

    /** The member [key] of this object; missing keys are an error. */
    operator fun get(key: String): JsonNode {
        val map = value as? Map<*, *> ?: throw fail("must be an object")
        if (!map.containsKey(key)) throw IllegalArgumentException("$source: ${child(key)} is missing")
        return JsonNode(map[key], child(key), source)
    }

    /** The elements of this array. */
    fun elements(): List<JsonNode> {
        val list = value as? List<*> ?: throw fail("must be an array")
        return list.mapIndexed { index, element -> JsonNode(element, "$path[$index]", source) }
    }

    /** This number as a [Double]. */
    fun asDouble(): Double = value as? Double ?: throw fail("must be a number")

    /** This number as an [Int]; fractions and out-of-range values are errors. */
    fun asInt(): Int {
        val number = asDouble()
        val whole = number.toInt()
        if (whole.toDouble() != number) throw fail("must be an integer")
        return whole
    }

    /** This string. */
    fun asString(): String = value as? String ?: throw fail("must be a string")

    /** A problem with this value, as an exception to throw. */
    fun fail(problem: String): IllegalArgumentException {
        val found = when (value) {
            is String -> "\"$value\""
            is Map<*, *> -> "an object"
            is List<*> -> "an array"
            else -> value.toString()
        }
        return IllegalArgumentException("$source: ${display()} $problem, found $found")
    }

    private fun child(key: String): String = if (path == "$") key else "$path.$key"

    private fun display(): String = if (path == "$") "the document" else path
}
