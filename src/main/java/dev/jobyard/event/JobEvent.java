package dev.jobyard.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.vertx.core.json.JsonObject;

/**
 * One status change of one job, as carried by NOTIFY and delivered to subscribers. It holds ids and
 * statuses only; a subscriber that wants the payload or result fetches the job.
 *
 * @param runnable for PENDING: no unfinished dependency, so a worker may take it at {@code runAt}
 * @param scheduleId the schedule that created the job, on final states (for schedule events)
 */
public record JobEvent(long jobId, String queue, String kind, String status, String previousStatus, int attempt,
        OffsetDateTime at, OffsetDateTime runAt, boolean runnable, String error, Long scheduleId) {

    static final int MAX_ERROR_CHARS = 500;

    JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("id", jobId).put("q", queue).put("k", kind).put("s", status).put("a", attempt)
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
        if (error != null) {
            json.put("e", error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error);
        }
        return json;
    }

    static JobEvent fromJson(JsonObject json) {
        return new JobEvent(json.getLong("id"), json.getString("q"), json.getString("k"), json.getString("s"),
                json.getString("p"), json.getInteger("a", 0), timestamp(json.getValue("t")),
                timestamp(json.getValue("r")), json.getBoolean("ok", false), json.getString("e"), json.getLong("sid"));
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
