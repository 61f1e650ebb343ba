package dev.jobyard.event;

import java.util.ArrayList;
import java.util.List;

/**
 * Job events as the hot statements announce them in SQL, in {@link JobEvent}'s wire format: this class
 * and {@link JobEvent} are the only places that know it. Rows are packed into as few NOTIFYs as fit
 * {@link EventChannel#MAX_PAYLOAD_BYTES}, counted in bytes (not in events), so that long queue names
 * never push a payload over PostgreSQL's 8,000-byte limit.
 * <p>
 * Each value is an SQL expression over the rows, aliased {@code i}. Events carry ids, statuses and the
 * queue (for worker wake-ups) only: anything shown to a subscriber is read from the table first
 * ({@link EventConfirmations}).
 */
public final class JobEventSql {

    private final String rows;
    private String channel;
    private String id = "i.id";
    private String queue = "i.queue";
    private String status;
    private String previous;
    private String attempt = "i.attempt";
    private String runAt;
    private String runnable;
    private String scheduleId;

    private JobEventSql(String rows) {
        this.rows = rows;
    }

    /** Announces each row of {@code rows} (a relation or subquery, aliased {@code i} by the caller). */
    public static JobEventSql announce(String rows) {
        return new JobEventSql(rows);
    }

    /**
     * The channel: a parameter, or an expression that may aggregate over the events of one message through
     * {@code e.sid} (the schedule id, if {@link #scheduleId} is set).
     */
    public JobEventSql channel(String expression) {
        this.channel = expression;
        return this;
    }

    public JobEventSql status(String expression) {
        this.status = expression;
        return this;
    }

    public JobEventSql previous(String expression) {
        this.previous = expression;
        return this;
    }

    public JobEventSql attempt(String expression) {
        this.attempt = expression;
        return this;
    }

    public JobEventSql runAt(String expression) {
        this.runAt = expression;
        return this;
    }

    /** A boolean expression: for PENDING, whether a worker may take the job at {@code runAt}. */
    public JobEventSql runnable(String expression) {
        this.runnable = expression;
        return this;
    }

    public JobEventSql scheduleId(String expression) {
        this.scheduleId = expression;
        return this;
    }

    /**
     * A SELECT with one row per NOTIFY sent (to be counted, which also makes PostgreSQL run it inside a
     * data-modifying statement).
     */
    public String sql() {
        List<String> fields = new ArrayList<>(List.of(
                "'id', " + id, "'q', " + queue, "'s', " + status, "'a', " + attempt, "'t', " + epochMicros("now()")));
        if (previous != null) {
            fields.add("'p', " + previous);
        }
        if (runAt != null) {
            fields.add("'r', " + epochMicros(runAt));
        }
        if (runnable != null) {
            fields.add("'ok', " + runnable);
        }
        if (scheduleId != null) {
            fields.add("'sid', " + scheduleId);
        }
        // Each event counts its bytes and one for the comma; a message ends where the running sum passes a
        // multiple of the budget, so it holds at most budget + one event's bytes (a few hundred at most).
        return """
                SELECT pg_notify(%s, '{"type":"%s","events":[' || string_agg(e.ev, ',' ORDER BY e.n) || ']}')
                  FROM (SELECT e.*, sum(octet_length(e.ev) + 1) OVER (ORDER BY e.n) / %d AS part
                          FROM (SELECT row_number() OVER () AS n, %s AS sid, json_build_object(%s)::text AS ev
                                  FROM %s) e) e
                 GROUP BY e.part""".formatted(channel, EventChannel.TYPE_JOBS, BUDGET_BYTES,
                scheduleId == null ? "NULL::bigint" : scheduleId, String.join(", ", fields), rows);
    }

    /**
     * Bytes of events per message. The largest event (a 100-character queue name, every field at its
     * widest) is below 400 bytes, and the envelope below 40: every payload stays below the cap.
     */
    static final int BUDGET_BYTES = EventChannel.MAX_PAYLOAD_BYTES - 500;

    /** A timestamp as the wire format carries it: microseconds since the epoch, cheap to read back. */
    private static String epochMicros(String timestamp) {
        return "(extract(epoch FROM " + timestamp + ") * 1000000)::bigint";
    }
}
