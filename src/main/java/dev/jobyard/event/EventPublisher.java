package dev.jobyard.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sends events with NOTIFY inside the caller's transaction, so listeners hear of a change exactly
 * when it commits and never of one that rolled back. Many job events share one NOTIFY.
 */
@ApplicationScoped
public class EventPublisher {

    private static final String NOTIFY = "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p";
    /** Longest text of an item that would not fit a message whole: a few such texts still fit 8,000 bytes. */
    static final int MAX_TEXT_CHARS = 500;

    public void jobEvents(Sql.Tx tx, List<JobEvent> events) {
        publish(tx, EventChannel.TYPE_JOBS, events.stream().map(JobEvent::toJson).toList());
    }

    /**
     * Sends {@code items} to every replica as messages of {@code type}, as few NOTIFYs as the payload cap
     * allows. Listeners get each message's items under "events" (see {@link Signals.Message}).
     */
    public void publish(Sql.Tx tx, String type, List<JsonObject> items) {
        if (items.isEmpty()) {
            return;
        }
        send(tx, messages(type, items));
    }

    /**
     * The NOTIFY payloads on channel {@link EventChannel#NAME} that carry {@code items} as messages of {@code type},
     * for a caller that sends them on a connection of its own (a Hibernate Reactive session's).
     */
    public static List<String> messages(String type, List<JsonObject> items) {
        List<String> payloads = new ArrayList<>();
        JsonArray chunk = new JsonArray();
        int chunkBytes = 0;
        for (JsonObject original : items) {
            JsonObject item = original;
            String encoded = item.encode();
            int bytes = encoded.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes > EventChannel.MAX_PAYLOAD_BYTES / 2) {
                item = cut(item);
                bytes = item.encode().getBytes(StandardCharsets.UTF_8).length + 1;
            }
            if (chunkBytes + bytes > EventChannel.MAX_PAYLOAD_BYTES && !chunk.isEmpty()) {
                payloads.add(envelope(type).put("events", chunk).encode());
                chunk = new JsonArray();
                chunkBytes = 0;
            }
            chunk.add(item);
            chunkBytes += bytes;
        }
        payloads.add(envelope(type).put("events", chunk).encode());
        return payloads;
    }

    /**
     * For an item that alone would not fit a message (a long error text in a schedule event, say): a copy
     * with each text longer than {@link #MAX_TEXT_CHARS} characters cut there and marked with "…".
     */
    static JsonObject cut(JsonObject item) {
        JsonObject cut = new JsonObject();
        item.forEach(field -> cut.put(field.getKey(), field.getValue() instanceof String text && text.length() > MAX_TEXT_CHARS
                ? text.substring(0, MAX_TEXT_CHARS) + "…" : field.getValue()));
        return cut;
    }

    /**
     * Asks whichever replica runs the job to interrupt it. Only the id travels: the replica reads the
     * cancel and its reason from the row ({@link EventConfirmations}), so a forged message cancels nothing.
     */
    public void cancelRequested(Sql.Tx tx, long jobId) {
        send(tx, List.of(envelope(EventChannel.TYPE_CANCEL).put("id", jobId).encode()));
    }

    public void queueChanged(Sql.Tx tx, String queue, boolean paused) {
        send(tx, List.of(envelope(EventChannel.TYPE_QUEUE).put("name", queue).put("paused", paused).encode()));
    }

    /** A message only its sender looks for: proof that LISTEN works on this connection path. */
    public void ping(Sql sql, String nodeId) {
        sql.query(NOTIFY, Tuple.of(EventChannel.NAME,
                new String[] { envelope(EventChannel.TYPE_PING).put("node", nodeId).encode() }));
    }

    private static JsonObject envelope(String type) {
        return new JsonObject().put("type", type);
    }

    private static void send(Sql.Tx tx, List<String> payloads) {
        tx.query(NOTIFY, Tuple.of(EventChannel.NAME, payloads.toArray(String[]::new)));
    }
}
