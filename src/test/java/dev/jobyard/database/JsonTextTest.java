package dev.jobyard.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** jsonb columns selected as text read back as the client would have decoded them. */
class JsonTextTest {

    @Test
    void objectsAndArraysReadBackWhole() {
        assertEquals(new JsonObject(), JsonText.object("{}"));
        assertEquals(new JsonObject().put("a", 1).put("b", new JsonArray().add("x")), JsonText.object("{\"a\": 1, \"b\": [\"x\"]}"));
        assertEquals(new JsonArray(), JsonText.array("[]"));
        assertEquals(new JsonArray().add(3).add(4), JsonText.array("[3, 4]"));
    }

    @Test
    void aValueThatIsNotAnObjectIsWrapped() {
        assertEquals(new JsonObject().put("value", "done"), JsonText.object("\"done\""));
        assertEquals(new JsonObject().put("value", 12), JsonText.object("12"));
    }

    @Test
    void sqlNullAndJsonNullAreNull() {
        assertNull(JsonText.object(null));
        assertNull(JsonText.object("null"));
        assertNull(JsonText.array(null));
    }
}
