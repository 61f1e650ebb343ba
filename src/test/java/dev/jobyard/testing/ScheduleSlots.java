package dev.jobyard.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** The firing record of a schedule (table {@code jobyard.schedule_slot}), read straight from the database. */
public final class ScheduleSlots {

    private ScheduleSlots() {
    }

    /** How many slots of the schedule have fired a job. */
    public static long fired(long scheduleId) {
        return Jdbc.<Long>value("SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = ? AND outcome = 'FIRED'",
                scheduleId);
    }

    /** The {@code slot_at} of a row read with {@link Jdbc#rows}. */
    public static OffsetDateTime slotAt(Map<String, Object> row) {
        Object value = row.get("slot_at");
        return value instanceof OffsetDateTime odt ? odt
                : ((java.sql.Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
    }
}
