package dev.jobyard.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Events cross replicas as JSON; their timestamps travel as epoch microseconds, as the SQL that sends most of them writes them. */
class JobEventWireFormatTest {

    @Test
    void anEventReadsBackAsItWasSentToTheMicrosecond() {
        OffsetDateTime at = OffsetDateTime.parse("2026-11-27T16:06:01.123456Z");
        OffsetDateTime runAt = OffsetDateTime.parse("2026-11-27T17:00:00.000001+01:00");
        JobEvent sent = new JobEvent(42, "default", "noop", "PENDING", null, 0, at, runAt, true, null, 7L);

        JsonObject wire = sent.toJson();
        JobEvent received = JobEvent.fromJson(new JsonObject(wire.encode()));

        assertEquals(1_795_795_561_123_456L, wire.getLong("t"));
        assertEquals(at.toInstant(), received.at().toInstant());
        assertEquals(runAt.toInstant(), received.runAt().toInstant());
        assertEquals(sent.jobId(), received.jobId());
        assertEquals(true, received.runnable());
        assertEquals(7L, received.scheduleId());
    }

    @Test
    void anEventCarriesIdsAndStatusesButNeitherKindNorErrorWhichAreReadFromTheTable() {
        JobEvent sent = new JobEvent(42, "default", "noop", "FAILED", "RUNNING", 3, OffsetDateTime.now(), null, false,
                "disk full", null);

        JsonObject wire = sent.toJson();
        JobEvent heard = JobEvent.fromJson(new JsonObject(wire.encode().replace("}", ",\"k\":\"forged\",\"e\":\"forged\"}")));

        assertEquals(java.util.Set.of("id", "q", "s", "p", "a", "t"), wire.fieldNames());
        assertNull(heard.kind(), "a kind in a message is not believed");
        assertNull(heard.error(), "an error in a message is not believed");
    }

    @Test
    void anEventWithTextTimestampsFromAnOlderReplicaIsStillRead() {
        JsonObject older = new JsonObject().put("id", 1).put("q", "default").put("k", "noop").put("s", "RUNNING")
                .put("p", "PENDING").put("a", 1).put("t", "2026-11-27T16:06:01.5+00:00");

        JobEvent received = JobEvent.fromJson(older);

        assertEquals(OffsetDateTime.parse("2026-11-27T16:06:01.5Z").toInstant(), received.at().toInstant());
        assertNull(received.runAt());
    }
}
