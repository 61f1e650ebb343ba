package dev.jobyard.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.vertx.core.json.JsonObject;

/**
 * One status change of one job, as carried by NOTIFY and delivered to subscribers. On the wire it holds
 * ids, statuses and the queue only (the queue tells workers where to look): any role that can connect
 * can NOTIFY, so a message is a hint. Before anyone is shown an event, {@link EventConfirmations} checks
 * it against the table and fills in the kind, the error and the schedule from there.
 *
 * @param runnable for PENDING: no unfinished dependency, so a worker may take it at {@code runAt}
 * @param scheduleId the schedule that created the job, on final states (for schedule events)
 */
public record JobEvent(long jobId, String queue, String kind, String status, String previousStatus, int attempt,
        OffsetDateTime at, OffsetDateTime runAt, boolean runnable, String error, Long scheduleId) {

    JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("id", jobId).put("q", queue).put("s", status).put("a", attempt)
                .put("t", micros(at));
        if (previousStatus != null) {
            json.put("p", previousStatus);
        }
        if (runAt != null) {
            json.put("r", micros(runAt));
        }
        if (runnable) {
            json.put("ok", true);
        }
        if (scheduleId != null) {
            json.put("sid", scheduleId);
        }
        return json;
    }

    /** An event as heard: its kind, error and schedule unknown until it is confirmed against the table. */
    static JobEvent fromJson(JsonObject json) {
        return new JobEvent(json.getLong("id"), json.getString("q"), null, json.getString("s"),
                json.getString("p"), json.getInteger("a", 0), timestamp(json.getValue("t")),
                timestamp(json.getValue("r")), json.getBoolean("ok", false), null, json.getLong("sid"));
    }

    /** This event as the table confirms it: kind, error and schedule from the row. */
    JobEvent confirmed(String kind, String error, Long scheduleId) {
        return new JobEvent(jobId, queue, kind, status, previousStatus, attempt, at, runAt, runnable, error, scheduleId);
    }

    // Timestamps travel as microseconds since the epoch: every replica reads every engine event, and parsing
    // ISO-8601 text allocated more than the rest of a job's run. Text is still read, from replicas of before.
    private static long micros(OffsetDateTime at) {
        return at.toEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    private static OffsetDateTime timestamp(Object value) {
        if (value instanceof Number micros) {
            long us = micros.longValue();
            return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L),
                    Math.floorMod(us, 1_000_000L) * 1_000L), ZoneOffset.UTC);
        }
        return value == null ? null : OffsetDateTime.parse(value.toString());
    }
}
