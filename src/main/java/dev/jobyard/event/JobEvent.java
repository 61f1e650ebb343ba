package dev.jobyard.event;

import java.time.OffsetDateTime;

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
                .put("t", at.toString());
        if (previousStatus != null) {
            json.put("p", previousStatus);
        }
        if (runAt != null) {
            json.put("r", runAt.toString());
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
        String runAt = json.getString("r");
        return new JobEvent(json.getLong("id"), json.getString("q"), json.getString("k"), json.getString("s"),
                json.getString("p"), json.getInteger("a", 0), OffsetDateTime.parse(json.getString("t")),
                runAt == null ? null : OffsetDateTime.parse(runAt), json.getBoolean("ok", false), json.getString("e"),
                json.getLong("sid"));
    }
}
