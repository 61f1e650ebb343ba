package dev.jobyard.command.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The sql command against the test database: parameters, capped rows, PostgreSQL's errors, runAs, extra datasources. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class SqlCommandTest {

    @Test
    void aQueryWithParametersReturnsItsRows() {
        String id = CommandJobs.create("sql", Map.of("sql", "SELECT $1::text AS greeting, $2::int + 1 AS next, g FROM generate_series(1, 3) g",
                "params", List.of("hello", 41)));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(List.of("greeting", "next", "g"), job.getList("result.columns"));
        assertEquals(3, job.getInt("result.rowCount"));
        assertEquals("hello", job.getString("result.rows[0].greeting"));
        assertEquals(42, job.getInt("result.rows[2].next"));
        assertEquals(3, job.getInt("result.rows[2].g"));
    }

    @Test
    void jsonAndNullParametersBind() {
        String id = CommandJobs.create("sql", Map.of("sql", "SELECT $1::jsonb -> 'a' AS a, $2::text IS NULL AS missing, $3::jsonb AS list",
                "params", java.util.Arrays.asList(Map.of("a", 5), null, List.of(1, 2))));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(5, job.getInt("result.rows[0].a"));
        assertEquals(true, job.getBoolean("result.rows[0].missing"));
        assertEquals(List.of(1, 2), job.getList("result.rows[0].list"));
    }

    @Test
    void aStatementChangesTheDatabaseAndReportsTheRowCount() {
        String table = "sql_cmd_" + UUID.randomUUID().toString().substring(0, 8);
        Jdbc.update("CREATE TABLE public." + table + " (id int, name text)");

        String id = CommandJobs.create("sql", Map.of("sql", "INSERT INTO public." + table + " SELECT g, $1 FROM generate_series(1, $2::int) g",
                "params", List.of("row", 5)));

        assertEquals(5, CommandJobs.finished(id, "COMPLETED").getInt("result.rowCount"));
        assertEquals(5L, (Long) Jdbc.value("SELECT count(*) FROM public." + table + " WHERE name = 'row'"));
    }

    @Test
    void rowsBeyondTheCapAreCountedButNotKept() {
        String id = CommandJobs.create("sql", Map.of("sql", "SELECT g FROM generate_series(1, 250) g"));

        var job = CommandJobs.finished(id, "COMPLETED");

        assertEquals(100, job.getList("result.rows").size(), "jobyard.commands.sql.max-rows is 100 in this profile");
        assertEquals(true, job.getBoolean("result.rowsTruncated"));
        assertEquals(250, job.getInt("result.rowsReturned"));
    }

    @Test
    void aScriptWithoutParametersRunsEveryStatementAndReturnsTheLast() {
        String id = CommandJobs.create("sql", Map.of("sql", "CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (7), (8); SELECT sum(x) AS total FROM t"));

        assertEquals(15, CommandJobs.finished(id, "COMPLETED").getInt("result.rows[0].total"));
    }

    @Test
    void anErrorFailsTheAttemptWithPostgresqlsMessageAndKeepsItsDetails() {
        String id = CommandJobs.create("sql", Map.of("sql", "SELECT * FROM no_such_table_here WHERE id = $1", "params", List.of(1)));

        var job = CommandJobs.finished(id, "FAILED");

        assertEquals("relation \"no_such_table_here\" does not exist (SQLSTATE 42P01)", job.getString("error"));
        var outputs = CommandJobs.attemptOutputs(id);
        assertEquals(1, outputs.size());
        assertEquals("42P01", ((Map<?, ?>) outputs.get(0).get("output")).get("sqlState"));
    }

    @Test
    void runAsLogsInAsTheRole() {
        String id = CommandJobs.create("sql", Map.of("sql", "SELECT current_user AS who, session_user AS session",
                "runAs", CommandsEnabled.READER));

        var job = CommandJobs.finished(id, "COMPLETED");
        assertEquals(CommandsEnabled.READER, job.getString("result.rows[0].who"));
        assertEquals(CommandsEnabled.READER, job.getString("result.rows[0].session"), "a login of its own, not a SET ROLE");
    }

    @Test
    void runAsARoleWithoutPrivilegesFailsWithPermissionDenied() {
        String table = privateTable();

        String id = CommandJobs.create("sql", Map.of("sql", "SELECT * FROM public." + table, "runAs", CommandsEnabled.NOBODY));

        String error = CommandJobs.finished(id, "FAILED").getString("error");
        assertTrue(error.startsWith("permission denied for table " + table), error);
    }

    @Test
    void theRoleCannotBeUndoneByAnyStatement() {
        // given a table that only the service's own user may read
        String table = privateTable();
        String service = Jdbc.value("SELECT current_user::text");

        // when jobs running as the role try to get back to the service's user
        String reset = CommandJobs.create("sql", Map.of("sql", "RESET ROLE; SELECT * FROM public." + table, "runAs", CommandsEnabled.NOBODY));
        String commit = CommandJobs.create("sql", Map.of("sql", "COMMIT; SELECT * FROM public." + table, "runAs", CommandsEnabled.NOBODY));
        String setRole = CommandJobs.create("sql", Map.of("sql", "SELECT set_config('role', '" + service + "', false) AS r,"
                + " query_to_xml('SELECT * FROM public." + table + "', true, false, '') AS rows", "runAs", CommandsEnabled.NOBODY));
        String sessionAuthorization = CommandJobs.create("sql", Map.of("sql", "SELECT set_config('session_authorization', '"
                + service + "', false) AS s, query_to_xml('SELECT * FROM public." + table + "', true, false, '') AS rows",
                "runAs", CommandsEnabled.NOBODY));

        // then none of them reads it: several statements are refused, and a switch back is not allowed
        assertEquals("cannot insert multiple commands into a prepared statement (SQLSTATE 42601)",
                CommandJobs.finished(reset, "FAILED").getString("error"));
        assertEquals("cannot insert multiple commands into a prepared statement (SQLSTATE 42601)",
                CommandJobs.finished(commit, "FAILED").getString("error"));
        String roleError = CommandJobs.finished(setRole, "FAILED").getString("error");
        assertTrue(roleError.startsWith("permission denied to set role \"" + service + "\""), roleError);
        String authError = CommandJobs.finished(sessionAuthorization, "FAILED").getString("error");
        assertTrue(authError.startsWith("permission denied to set session authorization"), authError);
    }

    @Test
    void aRoleThatIsNotListedIsRefusedAtCreation() {
        String message = CommandJobs.refusal("sql", Map.of("sql", "SELECT 1", "runAs", "postgres"));

        assertEquals("input.payload.runAs: role 'postgres' is not allowed; an operator lists it in jobyard.commands.sql.run-as-roles ["
                + CommandsEnabled.READER + ", " + CommandsEnabled.NOBODY + "]", message);
    }

    @Test
    void aNamedDatasourceIsUsedWhenTheJobNamesIt() {
        String id = CommandJobs.create("sql", Map.of("sql", "SELECT current_database() AS db", "datasource", "other"));

        assertEquals(Jdbc.value("SELECT current_database()::text"), CommandJobs.finished(id, "COMPLETED").getString("result.rows[0].db"));
    }

    @Test
    void anUnknownDatasourceOrABadRoleNameIsRefusedAtCreation() {
        var unknown = CommandJobs.tryCreate("sql", Map.of("sql", "SELECT 1", "datasource", "nope"));
        var injected = CommandJobs.tryCreate("sql", Map.of("sql", "SELECT 1", "runAs", "x; DROP TABLE y"));

        assertEquals("BAD_USER_INPUT", unknown.getString("errors[0].extensions.code"));
        assertTrue(unknown.getString("errors[0].message").contains("jobyard.commands.sql.datasources.nope.url"),
                unknown.getString("errors[0].message"));
        assertEquals("BAD_USER_INPUT", injected.getString("errors[0].extensions.code"));
        assertTrue(injected.getString("errors[0].message").startsWith("input.payload.runAs:"), injected.getString("errors[0].message"));
    }

    @Test
    void aStatementPastTheTimeoutIsCancelledOnTheServer() {
        String id = CommandJobs.create("sql", Map.of("sql", "SELECT pg_sleep(60)"), Map.of("timeoutSeconds", 1));

        var job = CommandJobs.finished(id, "FAILED");

        assertEquals("timed out after 1s", job.getString("error"));
        dev.jobyard.testing.Await.until(java.time.Duration.ofSeconds(10),
                () -> Jdbc.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'"),
                n -> n == 0, "the statement to be gone from pg_stat_activity");
    }

    @Test
    void aBlockThatCatchesTheCancelIsTerminated() {
        // given a DO block that swallows every cancel request
        String marker = "sql_loop_" + UUID.randomUUID().toString().substring(0, 8);
        String block = "DO $" + marker + "$ BEGIN LOOP BEGIN PERFORM pg_sleep(0.2); EXCEPTION WHEN query_canceled THEN NULL; END;"
                + " END LOOP; END $" + marker + "$";

        var job = CommandJobs.finished(CommandJobs.create("sql", Map.of("sql", block), Map.of("timeoutSeconds", 1)), "FAILED");

        // then it fails at its timeout and its backend is terminated, not left looping
        assertEquals("timed out after 1s", job.getString("error"));
        dev.jobyard.testing.Await.until(java.time.Duration.ofSeconds(15),
                () -> Jdbc.<Long>value("SELECT count(*) FROM pg_stat_activity WHERE query LIKE ?", "%" + marker + "%"),
                n -> n == 0, "the block's backend to be gone");
    }

    /** A table in public that neither PUBLIC nor the test roles may read. */
    private static String privateTable() {
        String table = "sql_cmd_private_" + UUID.randomUUID().toString().substring(0, 6);
        Jdbc.update("CREATE TABLE public." + table + " (x int)");
        Jdbc.update("INSERT INTO public." + table + " VALUES (42)");
        Jdbc.update("REVOKE ALL ON public." + table + " FROM PUBLIC");
        return table;
    }

    /**
     * The runAs roles of the profile: login roles (the job logs in as them; the test database trusts
     * local logins). Roles belong to the whole server, so their names carry this suite's name.
     */
    @BeforeEach
    void createRoles() {
        for (String role : List.of(CommandsEnabled.READER, CommandsEnabled.NOBODY)) {
            Jdbc.update("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
                    + role + " LOGIN; END IF; END $$");
        }
    }

    @AfterAll
    static void dropRoles() {
        for (String role : List.of(CommandsEnabled.READER, CommandsEnabled.NOBODY)) {
            Jdbc.update("DROP ROLE IF EXISTS " + role);
        }
    }
}
