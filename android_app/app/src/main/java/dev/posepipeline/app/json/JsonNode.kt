package dev.posepipeline.app.json

import org.json.JSONArray
import org.json.JSONException
import org.json.JSONObject
import org.json.JSONTokener

/**
 * A value parsed by `org.json`, with the path it was found at, for typed reads with readable errors.
 *
 * The parsing is `org.json`'s, which Android ships; the JVM tests run the same implementation
 * (Debian's `libandroid-json-java`, or `com.vaadin.external.google:android-json` under Gradle).
 * This class only adds what `org.json`'s getters lack: they convert silently (`getInt` turns 4.5
 * into 4, `getString` turns 3 into "3") and their errors do not say where. Every accessor here
 * is strict and throws [IllegalArgumentException] naming the file and the path, e.g.
 * `pose_model.json: output.stride must be an integer, found 4.5`.
 *
 * @property value what `org.json` read: a [JSONObject], a [JSONArray], a [String], a [Boolean], a
 *   [Number] (Integer, Long or Double, as written) or [JSONObject.NULL].
 * @property path where it sits, `$` for the root.
 * @property source the file name used in error messages.
 */
class JsonNode(val value: Any?, val path: String = "$", val source: String = "JSON") {
    /** Whether this is JSON `null`. */
    val isNull: Boolean get() = value == null || value == JSONObject.NULL

    /** Whether this is an object holding [key]. */
    fun has(key: String): Boolean = (value as? JSONObject)?.has(key) == true

    /** The member [key] of this object; missing keys are an error. */
    operator fun get(key: String): JsonNode {
        val json = value as? JSONObject ?: throw fail("must be an object")
        if (!json.has(key)) throw IllegalArgumentException("$source: ${child(key)} is missing")
        return JsonNode(json.get(key), child(key), source)
    }

    /** The elements of this array. */
    fun elements(): List<JsonNode> {
        val array = value as? JSONArray ?: throw fail("must be an array")
        return (0 until array.length()).map { JsonNode(array.get(it), "$path[$it]", source) }
    }

    /** This number as a [Double]. */
    fun asDouble(): Double = (value as? Number)?.toDouble() ?: throw fail("must be a number")

    /** This number as an [Int]; fractions and out-of-range values are errors. */
    fun asInt(): Int {
        val number = asDouble()
        val whole = number.toInt()
        if (whole.toDouble() != number) throw fail("must be an integer")
        return whole
    }

    /** This string. */
    fun asString(): String = value as? String ?: throw fail("must be a string")

    /** This boolean. */
    fun asBoolean(): Boolean = value as? Boolean ?: throw fail("must be true or false")

    /** A problem with this value, as an exception to throw. */
    fun fail(problem: String): IllegalArgumentException {
        val found = when (value) {
            is String -> "\"$value\""
            is JSONObject -> "an object"
            is JSONArray -> "an array"
            else -> value.toString()
        }
        return IllegalArgumentException("$source: ${display()} $problem, found $found")
    }

    private fun child(key: String): String = if (path == "$") key else "$path.$key"

    private fun display(): String = if (path == "$") "the document" else path

    companion object {
        /**
         * The JSON value [text] holds, read by `org.json`; text that does not parse, or goes on
         * after the value, is an [IllegalArgumentException] naming [source].
         */
        fun parse(text: String, source: String = "JSON"): JsonNode {
            val tokener = JSONTokener(text)
            val value = try {
                val parsed = tokener.nextValue()
                if (tokener.nextClean() != '\u0000') throw tokener.syntaxError("Text after the JSON value")
                parsed
            } catch (e: JSONException) {
                throw IllegalArgumentException("$source: not valid JSON (${e.message})", e)
            }
            return JsonNode(value, source = source)
        }
    }
}
