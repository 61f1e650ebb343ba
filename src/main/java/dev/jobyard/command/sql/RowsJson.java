package dev.jobyard.command.sql;

import java.time.temporal.Temporal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** A statement's rows as a job result: {@code columns}, up to {@code maxRows} {@code rows} as objects, {@code rowCount}. */
public final class RowsJson {

    private RowsJson() {
    }

    public static JsonObject of(RowSet<Row> rows, int maxRows) {
        // A statement that returns no rows (INSERT without RETURNING, DDL) has no column list at all.
        java.util.List<String> names = rows.columnsNames() == null ? java.util.List.of() : rows.columnsNames();
        JsonArray columns = new JsonArray(new java.util.ArrayList<>(names));
        JsonArray kept = new JsonArray();
        int seen = 0;
        for (Row row : rows) {
            if (seen++ >= maxRows) {
                break;
            }
            JsonObject object = new JsonObject();
            for (int i = 0; i < row.size(); i++) {
                object.put(row.getColumnName(i), value(row.getValue(i)));
            }
            kept.add(object);
        }
        JsonObject result = new JsonObject().put("rowCount", rows.rowCount());
        if (!names.isEmpty()) {
            result.put("columns", columns).put("rows", kept);
            if (rows.size() > maxRows) {
                result.put("rowsTruncated", true).put("rowsReturned", rows.size());
            }
        }
        return result;
    }

    private static Object value(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof JsonObject
                || value instanceof JsonArray) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Double
                || value instanceof Float) {
            return value;
        }
        if (value instanceof Object[] array) {
            JsonArray json = new JsonArray();
            for (Object element : array) {
                json.add(value(element));
            }
            return json;
        }
        // numeric, dates and times, uuid, intervals, bytea...: their text form, as psql prints them.
        return value instanceof Temporal ? value.toString() : String.valueOf(value);
    }
}
