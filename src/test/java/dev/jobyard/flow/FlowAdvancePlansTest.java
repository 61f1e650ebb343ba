package dev.jobyard.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The statements that advance flow runs, in the completer's transaction, reach every row they read through an index
 * condition, whatever the tables hold and whether or not they were ever analyzed. Planned once, generically, while
 * the tables were small, they scanned them whole for good (W9: 5-13 ms a statement once the tables grew, on a server
 * without autovacuum); the advance therefore plans them for their arguments, on key lookups only
 * ({@link Sql.Tx#planForArguments}). Each statement is explained here as that transaction plans it, for a completer
 * batch of 50 tasks of 25 runs.
 */
@QuarkusTest
class FlowAdvancePlansTest {

    private static final List<String> TABLES = List.of("flow_run", "flow_step_state", "flow_task", "job_history");

    @Inject
    Sql sql;

    @Test
    void everyStatementOfAnAdvanceReadsItsRowsThroughAnIndexCondition() {
        // Given a completer batch: 50 jobs, the tasks of 25 runs, two steps each
        String jobs = array(IntStream.range(0, 50).mapToObj(i -> String.valueOf(1_000_000 + i)).toList());
        List<String> runIds = IntStream.range(0, 50).mapToObj(i -> String.valueOf(500_000 + i / 2)).toList();
        String runs = array(runIds);
        String slugs = array(IntStream.range(0, 50).mapToObj(i -> i % 2 == 0 ? "b" : "c").toList());
        String flags = array(Collections.nCopies(50, "false"));
        String ints = array(Collections.nCopies(50, "1"));
        String texts = array(Collections.nCopies(50, "STARTED"));
        String nulls = array(Collections.nCopies(50, "NULL"));
        String distinctRuns = array(runIds.stream().distinct().toList());
        String finals = array(List.of("d"));
        Map<String, List<String>> statements = Map.of(
                "flow.run.RunStore.LOCK_BY_JOBS", List.of(jobs),
                "flow.run.RunStore.COMPLETE", List.of(distinctRuns, finals),
                "flow.run.StepStateStore.LOAD", List.of(distinctRuns),
                "flow.run.StepStateStore.SET_OUTPUTS", List.of(runs, slugs, flags),
                "flow.run.StepStateStore.OUTPUTS", List.of(runs, slugs),
                "flow.run.StepStateStore.WRITE", List.of(runs, slugs, texts, ints, ints, ints, nulls, distinctRuns,
                        array(Collections.nCopies(25, "1"))),
                "flow.run.TaskStore.COMPLETE", List.of(jobs, distinctRuns),
                "flow.run.TaskStore.BY_JOBS", List.of(jobs),
                "flow.run.TaskStore.END_QUEUED", List.of(distinctRuns, "'why'"));

        // When each is planned as the advance plans it
        List<String> unkeyed = sql.inTransaction(tx -> {
            tx.planForArguments();
            List<String> found = new ArrayList<>();
            for (var statement : statements.entrySet()) {
                tx.query("PREPARE flow_advance_plan AS " + constant(statement.getKey()));
                try {
                    JsonArray plan = new JsonArray(tx.query("EXPLAIN (FORMAT JSON) EXECUTE flow_advance_plan("
                            + String.join(", ", statement.getValue()) + ")").iterator().next().getValue(0).toString());
                    unkeyed(plan.getJsonObject(0).getJsonObject("Plan"), statement.getKey(), found);
                } finally {
                    tx.query("DEALLOCATE flow_advance_plan");
                }
            }
            return found;
        });

        // Then no node reads one of the workflow's tables (or history) whole
        assertEquals(List.of(), unkeyed, "scans without an index condition");
    }

    /** Adds the scans of {@link #TABLES} in {@code node} and below that have no index condition. */
    private static void unkeyed(JsonObject node, String statement, List<String> found) {
        String relation = node.getString("Relation Name", "");
        boolean watched = TABLES.stream().anyMatch(t -> relation.equals(t) || relation.startsWith(t + "_p")
                || relation.equals(t + "_after"));
        String type = node.getString("Node Type");
        if (watched && (type.equals("Seq Scan") || (type.startsWith("Index") && !node.containsKey("Index Cond")))) {
            found.add(statement + ": " + type + " on " + relation);
        }
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            unkeyed(children.getJsonObject(i), statement, found);
        }
    }

    /** The SQL constant {@code Class.FIELD} of a class under dev.jobyard. */
    private static String constant(String name) {
        int dot = name.lastIndexOf('.');
        try {
            Field field = Class.forName("dev.jobyard." + name.substring(0, dot)).getDeclaredField(name.substring(dot + 1));
            field.setAccessible(true);
            String value = (String) field.get(null);
            assertTrue(value != null && !value.isBlank(), name);
            return value;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(name, e);
        }
    }

    private static String array(List<String> values) {
        return values.stream().collect(Collectors.joining(",", "'{", "}'"));
    }
}
