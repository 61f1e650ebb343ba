package dev.jobyard.durable;

import java.util.List;

/**
 * Which row change a task waits for: an {@code operation} (insert, update or delete) on {@code schema.table},
 * and the {@code columns} of the new and old row the wake-up carries (no others). The table must be listed in
 * {@code jobyard.durable.db-events.tables}.
 */
public record DbChange(String schema, String table, String operation, List<String> columns) {

    public static DbChange insertInto(String schema, String table) {
        return new DbChange(schema, table, "insert", List.of());
    }

    public static DbChange updateOf(String schema, String table) {
        return new DbChange(schema, table, "update", List.of());
    }

    public static DbChange deleteFrom(String schema, String table) {
        return new DbChange(schema, table, "delete", List.of());
    }

    public DbChange columns(String... names) {
        return new DbChange(schema, table, operation, List.of(names));
    }

    /** {@code schema.table}, as {@code jobyard.durable.db-events.tables} lists it. */
    public String qualifiedTable() {
        return schema + "." + table;
    }
}
