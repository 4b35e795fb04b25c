package dev.posepipeline.app.json

/**
 * A small, strict JSON reader (RFC 8259) in plain Kotlin.
 *
 * The app reads its model metadata with it so that exactly the same parsing runs on the device
 * and in the JVM tests, where `org.json` (an Android class) is not available.
 *
 * Values come back as: `Map<String, Any?>` (objects, in file order), `List<Any?>` (arrays),
 * `Double` (every number), `String`, `Boolean` and `null`.
 */
object JsonReader {
    /** Parses [text], which must hold exactly one JSON value; throws [JsonSyntaxException] otherwise. */
    fun parse(text: String): Any? {
        val parser = Parser(text)
        parser.skipWhitespace()
        val value = parser.readValue()
        parser.skipWhitespace()
        if (!parser.atEnd()) throw parser.error("unexpected text after the JSON value")
        return value
    }
}

/** A JSON text that does not parse; [offset] is the character position of the problem. */
class JsonSyntaxException(message: String, val offset: Int) : IllegalArgumentException("$message at character $offset")

private class Parser(private val text: String) {
    private var position = 0

    fun atEnd(): Boolean = position >= text.length

    fun error(message: String): JsonSyntaxException = JsonSyntaxException(message, position)

    fun skipWhitespace() {
        while (!atEnd() && text[position] in WHITESPACE) position++
    }

    fun readValue(): Any? {
        if (atEnd()) throw error("unexpected end of text")
        return when (text[position]) {
            '{' -> readObject()
            '[' -> readArray()
            '"' -> readString()
            't' -> readLiteral("true", true)
            'f' -> readLiteral("false", false)
            'n' -> readLiteral("null", null)
            else -> readNumber()
        }
    }

    private fun readObject(): Map<String, Any?> {
        val result = LinkedHashMap<String, Any?>()
        position++ // '{'
        skipWhitespace()
        if (consume('}')) return result
        while (true) {
            skipWhitespace()
            if (atEnd() || text[position] != '"') throw error("expected a string key")
            val key = readString()
            skipWhitespace()
            if (!consume(':')) throw error("expected ':' after key \"$key\"")
            skipWhitespace()
            if (result.containsKey(key)) throw error("duplicate key \"$key\"")
            result[key] = readValue()
            skipWhitespace()
            if (consume('}')) return result
            if (!consume(',')) throw error("expected ',' or '}' in object")
        }
    }

    private fun readArray(): List<Any?> {
        val result = ArrayList<Any?>()
        position++ // '['
        skipWhitespace()
        if (consume(']')) return result
        while (true) {
            skipWhitespace()
            result.add(readValue())
            skipWhitespace()
            if (consume(']')) return result
            if (!consume(',')) throw error("expected ',' or ']' in array")
        }
    }

    private fun readString(): String {
        val builder = StringBuilder()
        position++ // opening quote
        while (true) {
            if (atEnd()) throw error("unterminated string")
            val char = text[position++]
            when {
                char == '"' -> return builder.toString()
                char == '\\' -> builder.append(readEscape())
                char < ' ' -> throw error("control character in string")
                else -> builder.append(char)
            }
        }
    }

    private fun readEscape(): Char {
        if (atEnd()) throw error("unterminated escape")
        return when (val char = text[position++]) {
            '"', '\\', '/' -> char
            'b' -> '\b'
            'f' -> '\u000C'
            'n' -> '\n'
            'r' -> '\r'
            't' -> '\t'
            'u' -> readUnicodeEscape()
            else -> throw error("unknown escape \\$char")
        }
    }

    private fun readUnicodeEscape(): Char {
        if (position + 4 > text.length) throw error("short \\u escape")
        val hex = text.substring(position, position + 4)
        val code = hex.toIntOrNull(16) ?: throw error("bad \\u escape \"$hex\"")
        position += 4
        return code.toChar()
    }

    private fun readLiteral(word: String, value: Any?): Any? {
        if (!text.startsWith(word, position)) throw error("unexpected character '${text[position]}'")
        position += word.length
        return value
    }

    private fun readNumber(): Double {
        val start = position
        consume('-')
        if (!consumeDigits()) throw error("unexpected character '${text[start]}'")
        if (consume('.') && !consumeDigits()) throw error("expected digits after '.'")
        if (consume('e') || consume('E')) {
            if (!consume('+')) consume('-')
            if (!consumeDigits()) throw error("expected digits in exponent")
        }
        return text.substring(start, position).toDouble()
    }

    private fun consumeDigits(): Boolean {
        val start = position
        while (!atEnd() && text[position] in '0'..'9') position++
        return position > start
    }

    private fun consume(char: Char): Boolean {
        if (!atEnd() && text[position] == char) {
            position++
            return true
        }
        return false
    }

    private companion object {
        const val WHITESPACE = " \t\r\n"
    }
}
