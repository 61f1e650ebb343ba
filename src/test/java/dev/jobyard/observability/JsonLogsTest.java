package dev.jobyard.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Formatter;
import java.util.logging.Handler;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.node.NodeIdentity;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** With JSON logs on, every line a job writes carries its job id, kind, attempt, queue and node id. */
@QuarkusTest
@TestProfile(JsonLogsOn.class)
class JsonLogsTest {

    @Inject
    NodeIdentity node;

    private final List<ExtLogRecord> captured = Collections.synchronizedList(new ArrayList<>());
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            record.copyAll(); // the MDC as it was on the job's thread
            captured.add(record);
        }
    };

    @BeforeEach
    void capture() {
        LogContext.getLogContext().getLogger("").addHandler(capture);
    }

    @AfterEach
    void release() {
        LogContext.getLogContext().getLogger("").removeHandler(capture);
    }

    /** The formatter of the console handler as configured (nested in Quarkus's delayed handler). */
    private static Formatter consoleFormatter(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler.getFormatter() != null && handler.getFormatter().getClass().getName().contains("Json")) {
                return handler.getFormatter();
            }
            if (handler instanceof ExtHandler ext) {
                Formatter nested = consoleFormatter(ext.getHandlers());
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    private JsonObject lineWith(String category, String marker) {
        ExtLogRecord record = Await.until(Duration.ofSeconds(10), () -> {
            synchronized (captured) {
                return captured.stream().filter(r -> category.equals(r.getLoggerName())
                        && r.getFormattedMessage().contains(marker)).findFirst().orElse(null);
            }
        }, r -> r != null, "a " + category + " line with " + marker);
        Formatter json = consoleFormatter(LogContext.getLogContext().getLogger("").getHandlers());
        assertNotNull(json, "the console handler formats JSON");
        return new JsonObject(json.format(record));
    }

    @Test
    void theLinesAJobWritesCarryItsJobKindAttemptAndNode() {
        // Given JSON logs, and a job whose handler logs to the service's log and to the job's log
        String marker = UUID.randomUUID().toString();
        String queue = Jobs.uniqueQueue();
        String id = Jobs.create(Map.of("kind", "test-logs", "queue", queue, "payload", Map.of("marker", marker)));

        // When it runs
        Jobs.awaitStatus(id, "COMPLETED");

        // Then both lines are JSON with the job's fields in their MDC
        for (JsonObject line : List.of(lineWith(LoggingHandler.CATEGORY, marker), lineWith(JobLogEcho.CATEGORY, marker))) {
            JsonObject mdc = line.getJsonObject("mdc");
            assertNotNull(mdc, line.encode());
            assertEquals(id, mdc.getString("jobId"), line.encode());
            assertEquals("test-logs", mdc.getString("jobKind"));
            assertEquals("1", mdc.getString("attempt"));
            assertEquals(queue, mdc.getString("queue"));
            assertEquals(node.id(), mdc.getString("nodeId"));
        }
        // and the job's own log line keeps its level
        assertEquals("WARN", lineWith(JobLogEcho.CATEGORY, marker).getString("level"));
    }
}
