package dev.jobyard.bench.workload;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jobyard.job.JobStore;

/**
 * The claim statement's query plan, from the engine's own SQL text (the CLAIM constant of {@link JobStore}, read
 * by reflection so that the plan is always the one of the measured commit) PREPAREd and EXPLAINed with JDBC,
 * with representative parameters: queue 'default', limit 16 (concurrency 16), a worker name, a 30 s lease, no client name.
 * EXPLAIN ANALYZE runs the UPDATE for real, so it runs in a transaction that is rolled back.
 */
final class ClaimPlan {

    /** The parameters the tool binds, in the order CLAIM declares them at the time of writing. */
    static final String PARAMETERS = "'default', 16, 'bench-explain', 30000, 'bench_explain_channel', ''";
    private static final int PARAMETER_COUNT = 6;
    private static final Pattern SCAN = Pattern.compile("(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)"
            + "(?: Backward)?(?: using (\\S+))? on (\\S+)");
    private static final Pattern EXECUTION = Pattern.compile("Execution Time: ([0-9.]+) ms");
    private static final Pattern BUFFERS = Pattern.compile("Buffers: shared hit=(\\d+)(?: read=(\\d+))?");

    /** A plan's text and what the report says about it. */
    record Plan(String text) {
        /** Every scan node: kind, index (if any) and relation. */
        List<String> scans() {
            List<String> scans = new ArrayList<>();
            Matcher m = SCAN.matcher(text);
            while (m.find()) {
                scans.add(m.group(1) + (m.group(2) == null ? "" : " using " + m.group(2)) + " on " + m.group(3));
            }
            return scans;
        }

        /**
         * True when no job table is read whole: runnable rows come from an index. A sequential scan of a tiny
         * table (the handful of rows of {@code queue}) is what the planner should do and is not counted.
         */
        boolean indexOnly() {
            return scans().stream().noneMatch(s -> s.startsWith("Seq Scan on job"));
        }

        double executionMs() {
            Matcher m = EXECUTION.matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }

        /** Shared buffers touched by the top node (hit + read). */
        long buffers() {
            Matcher m = BUFFERS.matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) + (m.group(2) == null ? 0 : Long.parseLong(m.group(2))) : -1;
        }
    }

    private ClaimPlan() {
    }

    static String claimSql() {
        try {
            Field field = JobStore.class.getDeclaredField("CLAIM");
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JobStore has no CLAIM statement any more (" + e + "); ClaimPlan must follow the engine", e);
        }
    }

    /**
     * EXPLAINs the claim; {@code analyze} executes it (rolled back), {@code generic} forces the generic plan a
     * prepared statement gets after its fifth execution, which is how the service's cached statement may run.
     */
    static Plan explain(Connection connection, boolean analyze, boolean generic) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("PREPARE bench_claim AS " + claimSql());
            try {
                checkParameters(s);
                if (generic) {
                    s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                }
                StringBuilder text = new StringBuilder();
                try (ResultSet rs = s.executeQuery("EXPLAIN (" + (analyze ? "ANALYZE, BUFFERS, " : "")
                        + "COSTS) EXECUTE bench_claim(" + PARAMETERS + ")")) {
                    while (rs.next()) {
                        text.append(rs.getString(1)).append('\n');
                    }
                }
                return new Plan(text.toString());
            } finally {
                connection.rollback();
                s.execute("DEALLOCATE bench_claim");
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void checkParameters(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT parameter_types::text FROM pg_prepared_statements WHERE name = 'bench_claim'")) {
            rs.next();
            String types = rs.getString(1);
            int count = types.equals("{}") ? 0 : types.split(",").length;
            if (count != PARAMETER_COUNT) {
                throw new IllegalStateException("the engine's CLAIM now takes " + count + " parameters " + types
                        + "; ClaimPlan binds " + PARAMETER_COUNT + " (" + PARAMETERS + ") and must follow it");
            }
        }
    }
}
