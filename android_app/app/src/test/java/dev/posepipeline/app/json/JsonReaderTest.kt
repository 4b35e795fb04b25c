package dev.posepipeline.app.json

import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test

class JsonReaderTest {
    @Test
    fun readsNestedValuesInFileOrder() {
        val value = JsonReader.parse(
            """ { "b": [1, -2.5, 3e2, 4E-1], "a": {"t": true, "f": false, "n": null}, "s": "x\"\\\/\n\u00e9" } """
        )
        val map = value as Map<*, *>
        assertEquals(listOf("b", "a", "s"), map.keys.toList())
        assertEquals(listOf(1.0, -2.5, 300.0, 0.4), map["b"])
        assertEquals(mapOf("t" to true, "f" to false, "n" to null), map["a"])
        assertEquals("x\"\\/\n\u00e9", map["s"])
    }

    @Test
    fun readsEmptyContainersAndScalars() {
        assertEquals(emptyMap<String, Any?>(), JsonReader.parse("{}"))
        assertEquals(emptyList<Any?>(), JsonReader.parse(" [ ] "))
        assertEquals(0.0, JsonReader.parse("0"))
        assertNull(JsonReader.parse("null"))
    }

    @Test
    fun rejectsMalformedTextWithThePosition() {
        val bad = listOf(
            "{\"a\" 1}",
            "[1, 2",
            "{\"a\": 1,}",
            "01x",
            "\"open",
            "{\"a\": 1} extra",
            "[1.]",
            "{\"a\":1,\"a\":2}",
            "tru"
        )
        for (text in bad) {
            try {
                JsonReader.parse(text)
                fail("accepted $text")
            } catch (expected: JsonSyntaxException) {
                assertTrue(expected.message!!, expected.message!!.contains("at character"))
            }
        }
    }

    @Test
    fun nodeErrorsNameTheFileAndPath() {
        val node = JsonNode(JsonReader.parse("""{"output": {"stride": 4.5, "dtype": 3}}"""), source = "m.json")
        assertEquals(
            "m.json: output.stride must be an integer, found 4.5",
            message {
                node["output"]["stride"].asInt()
            }
        )
        assertEquals("m.json: output.dtype must be a string, found 3.0", message { node["output"]["dtype"].asString() })
        assertEquals("m.json: output.joints is missing", message { node["output"]["joints"] })
        assertEquals("m.json: output must be an array, found an object", message { node["output"].elements() })
    }

    private fun message(block: () -> Any?): String? = try {
        block()
        null
    } catch (expected: IllegalArgumentException) {
        expected.message
    }
}
