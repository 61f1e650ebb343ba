package dev.jobyard.chain;

import dev.jobyard.common.BadInputException;

/** The one check of a chain's name, and the name of the schedule it owns. */
public final class ChainNames {

    /** A chain's schedule is named so; schedules' names are unique too, so the chain's name stays free. */
    public static final String SCHEDULE_PREFIX = "chain:";
    /** Schedules allow 200 characters; the prefix takes some. */
    public static final int MAX_NAME = 200 - SCHEDULE_PREFIX.length();

    private ChainNames() {
    }

    public static String check(String field, String name) {
        if (name == null || name.isBlank()) {
            throw new BadInputException(field, "is required");
        }
        if (name.length() > MAX_NAME) {
            throw new BadInputException(field, "must be at most " + MAX_NAME + " characters, got " + name.length());
        }
        return name;
    }

    public static String scheduleName(String chainName) {
        return SCHEDULE_PREFIX + chainName;
    }
}
