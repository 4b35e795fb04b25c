package dev.posepipeline.app.json

import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** The typed reads over org.json: strict, and every error names the file and the path. */
class JsonNodeTest {
    private val node = JsonNode.parse(
        """{"output": {"stride": 4.5, "width": 64, "dtype": 3, "names": ["a", null, true]}}""",
        source = "m.json"
    )

    @Test
    fun readsNumbersStringsAndNulls() {
        val output = node["output"]
        assertEquals(64, output["width"].asInt())
        assertEquals(64.0, output["width"].asDouble(), 0.0)
        assertEquals(4.5, output["stride"].asDouble(), 0.0)
        val names = output["names"].elements()
        assertEquals("a", names[0].asString())
        assertTrue(names[1].isNull)
        assertTrue(names[2].asBoolean())
        assertEquals("m.json: output.names[2] must be a string, found true", message { names[2].asString() })
        assertTrue(node.has("output"))
        assertFalse(output.has("joints"))
    }

    @Test
    fun errorsNameTheFileAndPath() {
        assertEquals(
            "m.json: output.stride must be an integer, found 4.5",
            message { node["output"]["stride"].asInt() }
        )
        assertEquals("m.json: output.dtype must be a string, found 3", message { node["output"]["dtype"].asString() })
        assertEquals("m.json: output.joints is missing", message { node["output"]["joints"] })
        assertEquals("m.json: output must be an array, found an object", message { node["output"].elements() })
    }

    @Test
    fun textThatDoesNotParseIsNamed() {
        for (text in listOf("", "[1, 2", "{\"a\": 1} extra")) {
            val message = message { JsonNode.parse(text, source = "m.json") }
            assertTrue("$text: $message", message.startsWith("m.json: not valid JSON ("))
        }
    }

    private fun message(block: () -> Any?): String = try {
        block()
        "no error"
    } catch (expected: IllegalArgumentException) {
        expected.message!!
    }
}
