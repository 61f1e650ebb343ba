package dev.jobyard.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.database.Sql;
import dev.jobyard.testing.Flows;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The statements that advance flow runs, in the completer's transaction, reach every row they read through an index
 * condition, whatever the tables hold and whether or not they were ever analyzed. Planned once, generically, while
 * the tables were small, they scanned them whole for good (W9: 5-13 ms a statement once the tables grew, on a server
 * without autovacuum); the advance therefore plans them for their arguments, on key lookups only
 * ({@link Sql.Tx#planForArguments}). Each statement is explained here as that transaction plans it, for a completer
 * batch of 50 tasks of 25 runs, over tables of 10,000 runs that were never analyzed. (What it does not show: the
 * reshaped step-state write and task completion, chosen from the plans PostgreSQL logged during W9 at a few thousand
 * rows, whose bad plans this setup does not reproduce; W9 measures them.)
 */
@QuarkusTest
class FlowAdvancePlansTest {

    private static final List<String> TABLES = List.of("flow_run", "flow_step_state", "flow_task", "job_history");
    private static final int RUNS = 10_000;
    // Job ids of the test's tasks, far above any the sequence hands out in a test run.
    private static final long JOBS = 9_000_000_000L;

    @Inject
    Sql sql;

    @Test
    void everyStatementOfAnAdvanceReadsItsRowsThroughAnIndexCondition() {
        // Given tables that grew in one burst and were never analyzed (inside a transaction that is rolled back: the
        // planner sizes a table by its pages, which the uncommitted rows fill): 10,000 runs of a diamond, their step
        // states, a task each, and as many archived jobs
        long flow = ((Number) Jdbc.value("SELECT id FROM jobyard.flow WHERE slug = ?",
                Flows.create(Flows.uniqueSlug("plans"), List.of(Flows.step("a", "SINGLE", "test-flow-emit", List.of()))))).longValue();
        List<String> unkeyed = new ArrayList<>();
        Map<String, Integer> keyed = new TreeMap<>();
        try {
            sql.inTransaction(tx -> {
                tx.planForArguments();
                Row range = tx.query("""
                        WITH r AS (INSERT INTO jobyard.flow_run (flow_id, flow_slug, status, input, remaining_steps)
                                   SELECT %d, 'plans', 'STARTED', '{}', 4 FROM generate_series(1, %d) RETURNING id)
                        SELECT min(id) AS low, max(id) AS high FROM r""".formatted(flow, RUNS)).iterator().next();
                long low = range.getLong("low");
                long high = range.getLong("high");
                tx.query("""
                        INSERT INTO jobyard.flow_step_state (run_id, step_slug, step_index, status, remaining_deps)
                        SELECT r, s.slug, s.i, 'STARTED', 0 FROM generate_series(%d, %d) AS r,
                               unnest('{a,b,c,d}'::text[]) WITH ORDINALITY AS s(slug, i)""".formatted(low, high));
                tx.query("""
                        INSERT INTO jobyard.flow_task (run_id, step_slug, task_index, job_id, status)
                        SELECT r, 'b', 0, %d + r, 'QUEUED' FROM generate_series(%d, %d) AS r""".formatted(JOBS, low, high));
                tx.query("""
                        INSERT INTO jobyard.job_history (id, queue, kind, payload, labels, priority, status, run_at, attempt,
                               max_attempts, dependencies, errors, created_at, completed_at)
                        SELECT %d + r, 'plans', 'noop', '{}', '{}', 0, 'COMPLETED', now(), 1, 1, '[]', '[]', now(),
                               greatest(now() - (%d - r) * interval '1 millisecond', date_trunc('day', now()))
                          FROM generate_series(%d, %d) AS r""".formatted(JOBS, high, low, high));

                // When each statement is planned as the advance plans it, for a completer batch: the 50 newest tasks'
                // jobs, of 25 runs
                for (var statement : statements(high).entrySet()) {
                    tx.query("PREPARE flow_advance_plan AS " + constant(statement.getKey()));
                    try {
                        JsonArray plan = new JsonArray(tx.query("EXPLAIN (FORMAT JSON) EXECUTE flow_advance_plan("
                                + String.join(", ", statement.getValue()) + ")").iterator().next().getValue(0).toString());
                        scans(plan.getJsonObject(0).getJsonObject("Plan"), statement.getKey(), unkeyed, keyed);
                    } finally {
                        tx.query("DEALLOCATE flow_advance_plan");
                    }
                }
                throw new RolledBack();
            });
        } catch (RolledBack expected) {
            // the rows above were never committed
        }

        // Then no node reads one of the workflow's tables (or history) whole, and each statement reads them by key
        assertEquals(List.of(), unkeyed, "scans without an index condition");
        assertEquals(statements(0).keySet(), keyed.keySet(), "statements that read the tables through an index: " + keyed);
    }

    /** Thrown to roll the test's rows back once the plans are read. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }

    /** Each statement of the advance with the arguments of a batch: the jobs of the newest 50 tasks, of 25 runs. */
    private static Map<String, List<String>> statements(long newest) {
        List<String> runIds = IntStream.range(0, 50).mapToObj(i -> String.valueOf(newest - i / 2)).toList();
        String jobs = array(IntStream.range(0, 50).mapToObj(i -> String.valueOf(JOBS + newest - i)).toList());
        String runs = array(runIds);
        String slugs = array(IntStream.range(0, 50).mapToObj(i -> i % 2 == 0 ? "b" : "c").toList());
        String distinctRuns = array(runIds.stream().distinct().toList());
        String ints = array(Collections.nCopies(50, "1"));
        return Map.of(
                "flow.run.RunStore.LOCK_BY_JOBS", List.of(jobs),
                "flow.run.RunStore.COMPLETE", List.of(distinctRuns, array(List.of("d"))),
                "flow.run.StepStateStore.LOAD", List.of(distinctRuns),
                "flow.run.StepStateStore.SET_OUTPUTS", List.of(runs, slugs, array(Collections.nCopies(50, "false"))),
                "flow.run.StepStateStore.OUTPUTS", List.of(runs, slugs),
                "flow.run.StepStateStore.WRITE", List.of(runs, slugs, array(Collections.nCopies(50, "STARTED")), ints, ints,
                        ints, array(Collections.nCopies(50, "NULL")), distinctRuns, array(Collections.nCopies(25, "1"))),
                "flow.run.TaskStore.COMPLETE", List.of(jobs, distinctRuns),
                "flow.run.TaskStore.BY_JOBS", List.of(jobs),
                "flow.run.TaskStore.END_QUEUED", List.of(distinctRuns, "'why'"));
    }

    /**
     * Walks {@code node} and below: scans of {@link #TABLES} without an index condition go to {@code unkeyed}, those
     * with one are counted in {@code keyed} for the statement.
     */
    private static void scans(JsonObject node, String statement, List<String> unkeyed, Map<String, Integer> keyed) {
        String relation = node.getString("Relation Name", "");
        boolean watched = TABLES.stream().anyMatch(t -> relation.equals(t) || relation.startsWith(t + "_p")
                || relation.equals(t + "_after"));
        String type = node.getString("Node Type");
        if (watched && (type.equals("Seq Scan") || (type.startsWith("Index") && !node.containsKey("Index Cond")))) {
            unkeyed.add(statement + ": " + type + " on " + relation);
        } else if (watched && (type.startsWith("Index") || type.equals("Bitmap Heap Scan"))) {
            keyed.merge(statement, 1, Integer::sum);
        }
        JsonArray children = node.getJsonArray("Plans", new JsonArray());
        for (int i = 0; i < children.size(); i++) {
            scans(children.getJsonObject(i), statement, unkeyed, keyed);
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
