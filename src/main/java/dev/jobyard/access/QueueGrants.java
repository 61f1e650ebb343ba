package dev.jobyard.access;

import java.util.List;

/**
 * The queues a caller may see and touch: every queue, or a list of names and prefixes ending in {@code *}
 * ({@code billing}, {@code reports-*}).
 */
public final class QueueGrants {

    public static final QueueGrants ALL = new QueueGrants(null);

    private final List<String> entries;

    private QueueGrants(List<String> entries) {
        this.entries = entries;
    }

    /** Null or an empty list: every queue. */
    public static QueueGrants of(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return ALL;
        }
        return new QueueGrants(entries.stream().map(String::trim).filter(e -> !e.isEmpty()).distinct().toList());
    }

    public boolean all() {
        return entries == null;
    }

    /** The names and prefixes as given; empty for every queue. */
    public List<String> entries() {
        return entries == null ? List.of() : entries;
    }

    public boolean allows(String queue) {
        if (entries == null) {
            return true;
        }
        if (queue == null) {
            return false;
        }
        for (String entry : entries) {
            if (entry.endsWith("*") ? queue.startsWith(entry.substring(0, entry.length() - 1)) : queue.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    /** SQL LIKE patterns matching the granted queues ({@code _}, {@code %} and {@code \} escaped). */
    public List<String> likePatterns() {
        return entries().stream().map(e -> e.endsWith("*")
                ? escapeLike(e.substring(0, e.length() - 1)) + "%" : escapeLike(e)).toList();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public String toString() {
        return entries == null ? "*" : String.join(",", entries);
    }
}
