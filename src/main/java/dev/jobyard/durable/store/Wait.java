package dev.jobyard.durable.store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a parked job waits for: a sleep's end, a child job, an event or a row change, under the key its result
 * will be saved with. {@code until}: when a timed wait gives up (or the sleep ends); null: never.
 */
public record Wait(long jobId, String type, String key, OffsetDateTime until, String eventName, Long childJobId,
        String tableName, String operation, List<String> columns) {

    public static final String SLEEP = "sleep";
    public static final String INVOKE = "invoke";
    public static final String EVENT = "event";
    public static final String DB_CHANGE = "dbchange";
}
