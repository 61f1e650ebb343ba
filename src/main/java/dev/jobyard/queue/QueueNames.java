package dev.jobyard.queue;

import java.util.regex.Pattern;

import dev.jobyard.common.BadInputException;

/** What a queue may be called; every place that accepts a queue name checks it here. */
public final class QueueNames {

    public static final String DEFAULT = "default";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    private QueueNames() {
    }

    /** The name, or {@link #DEFAULT} for null; a BAD_USER_INPUT error on {@code field} when malformed. */
    public static String check(String field, String name) {
        if (name == null) {
            return DEFAULT;
        }
        if (!VALID.matcher(name).matches()) {
            throw new BadInputException(field, "must be 1 to 100 letters, digits or _ . : -, got '" + name + "'");
        }
        return name;
    }
}
