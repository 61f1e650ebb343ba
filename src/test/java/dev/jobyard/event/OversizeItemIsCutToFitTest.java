package dev.jobyard.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** An item that alone would not fit a NOTIFY (a long error in a schedule event) is sent with its long texts cut. */
@QuarkusTest
class OversizeItemIsCutToFitTest {

    @Inject
    EventPublisher publisher;
    @Inject
    Sql sql;

    @Test
    void anItemTooLargeForAMessageIsSentWithItsLongTextsCut() {
        JsonObject item = new JsonObject().put("id", 1).put("name", "nightly").put("detail", "é".repeat(20_000));

        // PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more, and the whole transaction with it.
        sql.inTransaction(tx -> {
            publisher.publish(tx, "results-test", List.of(item, new JsonObject().put("id", 2)));
            return null;
        });

        JsonObject sent = EventPublisher.cut(item);
        assertEquals("é".repeat(EventPublisher.MAX_TEXT_CHARS) + "…", sent.getString("detail"));
        assertEquals("nightly", sent.getString("name"));
        assertTrue(sent.encode().getBytes(StandardCharsets.UTF_8).length < 8000);
    }
}
