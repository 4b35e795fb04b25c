package dev.posepipeline.app.json

/** Test helper: the inverse of [JsonReader], so tests can edit parsed metadata and re-serialise it. */
object JsonWriter {
    fun write(value: Any?): String = StringBuilder().also { append(it, value) }.toString()

    private fun append(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")

            is String -> {
                out.append('"')
                for (char in value) {
                    when (char) {
                        '"' -> out.append("\\\"")
                        '\\' -> out.append("\\\\")
                        '\n' -> out.append("\\n")
                        else -> out.append(char)
                    }
                }
                out.append('"')
            }

            is Map<*, *> -> {
                out.append('{')
                value.entries.forEachIndexed { index, entry ->
                    if (index > 0) out.append(',')
                    append(out, entry.key as String)
                    out.append(':')
                    append(out, entry.value)
                }
                out.append('}')
            }

            is List<*> -> {
                out.append('[')
                value.forEachIndexed { index, element ->
                    if (index > 0) out.append(',')
                    append(out, element)
                }
                out.append(']')
            }

            else -> out.append(value.toString())
        }
    }
}
