package dev.jobyard.schedule.expression;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/** Test tables write times as offset date-times in the schedule's zone, so a failure reads like the table. */
final class Times {

    static final Instant ANCHOR = Instant.parse("2025-01-01T00:00:00Z");

    private Times() {
    }

    static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    static List<OffsetDateTime> list(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.trim().split("\\s+")).map(OffsetDateTime::parse).toList();
    }

    static List<OffsetDateTime> inZone(List<Instant> instants, ZoneId zone) {
        return instants.stream().map(i -> i.atZone(zone).toOffsetDateTime()).toList();
    }
}
