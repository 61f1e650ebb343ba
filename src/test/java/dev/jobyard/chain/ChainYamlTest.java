package dev.jobyard.chain;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Chains;
import dev.jobyard.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** pg_timetable's YAML: the seed's three examples imported and round-tripped; errors with lines; all or nothing. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class ChainYamlTest {

    private final String suffix = "_" + UUID.randomUUID().toString().substring(0, 8);

    private static final String BASIC = """
            chains:
              - name: "daily_report%s"
                schedule: "0 9 * * *"
                live: true
                max_instances: 1

                tasks:
                  - name: "generate_report"
                    kind: "SQL"
                    command: "CALL generate_daily_report()"
            """;

    private static final String MULTI = """
            chains:
              - name: "etl_pipeline%s"
                schedule: "0 2 * * *"
                live: true
                timeout: 3600000  # 1 hour in milliseconds

                tasks:
                  - name: "extract"
                    command: "SELECT extract_data()"

                  - name: "transform"
                    command: "SELECT transform_data()"

                  - name: "load"
                    command: "SELECT load_data()"

                  - name: "notify"
                    kind: "BUILTIN"
                    command: "SendMail"
                    parameters:
                      - username: "sender@example.com"
                        password: "secret"
                        serverhost: "smtp.example.com"
                        serverport: 587
                        senderaddr: "sender@example.com"
                        toaddr: ["admin@example.com"]
                        subject: "ETL Pipeline Completed"
                        msgbody: "Pipeline finished successfully"
                        contenttype: "text/plain"
            """;

    private static final String PROGRAMS = """
            chains:
              - name: "backup_and_compress%s"
                schedule: "0 1 * * *"
                live: true

                tasks:
                  - name: "backup_database"
                    kind: "PROGRAM"
                    command: "echo"
                    parameters:
                      - "-Fc"
                      - "-f"
                      - "/backups/db_backup.dump"
                      - "mydatabase"

                  - name: "compress_backup"
                    kind: "PROGRAM"
                    command: "gzip"
                    parameters:
                      - "/backups/db_backup.dump"
            """;

    private JsonPath importYaml(String yaml, boolean replace) {
        return execute("mutation($y: String!, $r: Boolean) { importChains(yaml: $y, replace: $r) { chains { " + Chains.FIELDS
                + " } warnings } }", Map.of("y", yaml, "r", replace));
    }

    @Test
    void theSeedsThreeExamplesImportWithPgTimetablesMeanings() {
        JsonPath basic = importYaml(BASIC.formatted(suffix), false).setRootPath("data.importChains");
        assertEquals("0 9 * * *", basic.getString("chains[0].schedule"));
        assertEquals(1, basic.getInt("chains[0].maxInstances"));
        assertEquals("CALL generate_daily_report()", basic.getString("chains[0].tasks[0].command"));

        JsonPath multi = importYaml(MULTI.formatted(suffix), false).setRootPath("data.importChains");
        assertEquals(3600, multi.getInt("chains[0].timeoutSeconds"), "pg_timetable's milliseconds as seconds");
        assertEquals(List.of("sql", "sql", "sql", "send_mail"), multi.getList("chains[0].tasks.kind"));
        Map<String, Object> mail = multi.getMap("chains[0].tasks[3].parameters[0]");
        assertEquals(List.of("admin@example.com"), mail.get("to"));
        assertEquals("sender@example.com", mail.get("from"));
        assertEquals("Pipeline finished successfully", mail.get("text"));
        assertTrue(!mail.containsKey("password") && !mail.containsKey("username"), "credentials are not stored: " + mail);
        List<String> warnings = multi.getList("warnings");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("password") && w.contains("secret")), warnings.toString());

        JsonPath programs = importYaml(PROGRAMS.formatted(suffix), false).setRootPath("data.importChains");
        assertEquals(List.of("program", "program"), programs.getList("chains[0].tasks.kind"));
        assertEquals(List.of(List.of("-Fc", "-f", "/backups/db_backup.dump", "mydatabase")),
                programs.getList("chains[0].tasks[0].parameters"), "one execution with these arguments");
    }

    @Test
    void anExportImportsBackToTheSameDefinitions() {
        JsonPath original = importYaml(MULTI.formatted(suffix) + PROGRAMS.formatted(suffix).replace("chains:\n", ""), false)
                .setRootPath("data.importChains");
        List<String> names = original.getList("chains.name");
        String yaml = ok("query($n: [String]) { exportChains(names: $n) }", Map.of("n", names)).getString("exportChains");

        JsonPath again = importYaml(yaml, true).setRootPath("data.importChains");

        assertEquals(definitions(original), definitions(again));
        assertEquals(yaml, ok("query($n: [String]) { exportChains(names: $n) }", Map.of("n", names)).getString("exportChains"));
    }

    /** What a chain is, without ids and times. */
    private static List<Object> definitions(JsonPath imported) {
        return imported.getList("chains").stream().map(c -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new java.util.HashMap<>((Map<String, Object>) c);
            m.keySet().removeAll(List.of("id", "createdAt", "updatedAt", "lastRunAt", "nextRunAt"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> tasks = (List<Map<String, Object>>) m.get("tasks");
            m.put("tasks", tasks.stream().map(t -> {
                Map<String, Object> copy = new java.util.HashMap<>(t);
                copy.remove("id");
                return copy;
            }).toList());
            return (Object) m;
        }).toList();
    }

    /** Two chains, {@code first} valid and the second with an unknown BUILTIN at line 9. */
    static String firstGoodSecondBad(String first, String suffix) {
        return """
                chains:
                  - name: "%s"
                    tasks:
                      - command: "SELECT 1"
                  - name: "second%s"
                    tasks:
                      - command: "SELECT 1"
                      - kind: "BUILTIN"
                        command: "Teleport"
                """.formatted(first, suffix);
    }

    @Test
    void anImportIsAllOrNothingAndItsErrorsGiveTheLine() {
        String name = "first" + suffix;
        String yaml = firstGoodSecondBad(name, suffix);

        JsonPath answer = importYaml(yaml, false);

        assertEquals("BAD_USER_INPUT", Chains.errorCode(answer));
        assertTrue(Chains.errorMessage(answer).contains("chains[1].tasks[1].command (line 9)"), Chains.errorMessage(answer));
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain WHERE name = ?", name), "nothing was created");

        JsonPath bad = importYaml("chains:\n  - name: \"x" + suffix + "\"\n    tasks:\n      - command: \"SELECT 1\"\n        kind: \"NOSUCH\"\n", false);
        assertTrue(Chains.errorMessage(bad).contains("chains[0].tasks[0].kind (line 5)"), Chains.errorMessage(bad));
    }

    @Test
    void anExistingNameIsAConflictUnlessReplaceIsSet() {
        String yaml = BASIC.formatted(suffix);
        String first = importYaml(yaml, false).getString("data.importChains.chains[0].id");

        assertEquals("CONFLICT", Chains.errorCode(importYaml(yaml, false)));

        String replaced = importYaml(yaml.replace("CALL generate_daily_report()", "SELECT 2"), true)
                .getString("data.importChains.chains[0].id");
        assertTrue(!first.equals(replaced), "a new chain replaced the old one");
        assertEquals("SELECT 2", Chains.get(replaced).getString("tasks[0].command"));
    }
}
