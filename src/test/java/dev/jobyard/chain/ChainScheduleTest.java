package dev.jobyard.chain;

import static dev.jobyard.testing.GraphQLClient.execute;
import static dev.jobyard.testing.GraphQLClient.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandsEnabled;
import dev.jobyard.testing.Await;
import dev.jobyard.testing.Chains;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** A chain's timing is its schedule's: live, maxInstances, exclusive and selfDestruct as schedules have them. */
@QuarkusTest
@TestProfile(CommandsEnabled.class)
class ChainScheduleTest {

    private final List<String> created = new java.util.ArrayList<>();

    @AfterEach
    void deleteChains() {
        created.forEach(Chains::delete); // stops their timetables; their runs stay in history
    }

    private String chain(Map<String, Object> input) {
        String id = Chains.create(input).getString("id");
        created.add(id);
        return id;
    }

    private static List<Map<String, Object>> runs(String chain) {
        return ok("query($c: ID!) { chainRuns(chainId: $c, first: 500) { nodes { id status startedAt completedAt } } }",
                Map.of("c", chain)).getList("chainRuns.nodes");
    }

    @Test
    void aLiveChainFiresOnItsScheduleAndOneCreatedPausedNeverDoes() {
        String paused = chain(Map.of("schedule", "@every 1 second", "live", false, "tasks", List.of(Chains.sql("SELECT 1"))));
        String live = chain(Map.of("schedule", "@every 1 second", "tasks", List.of(Chains.sql("SELECT 1"))));

        Await.until(Duration.ofSeconds(20), () -> runs(live).stream().filter(r -> "COMPLETED".equals(r.get("status"))).count(),
                n -> n >= 2, "two completed runs of the live chain");

        assertEquals(List.of(), runs(paused), "the paused chain fired nothing meanwhile");
        assertNotNull(Chains.get(live).getString("lastRunAt"));
        String run = Chains.run(paused);
        Jobs.awaitStatus(run, "COMPLETED", Duration.ofSeconds(20));
    }

    @Test
    void maxInstancesSkipsSlotsWhileARunIsActive() {
        String chain = chain(Map.of("schedule", "@every 1 second", "maxInstances", 1,
                "tasks", List.of(Chains.sql("SELECT pg_sleep(3)"))));

        Await.until(Duration.ofSeconds(20), () -> Jdbc.<Long>value(
                "SELECT count(*) FROM jobyard.schedule_slot WHERE schedule_id = ? AND outcome = 'SKIPPED'", Long.parseLong(chain)),
                n -> n >= 2, "slots skipped while the run sleeps");

        String reason = Jdbc.value("SELECT reason FROM jobyard.schedule_slot WHERE schedule_id = ? AND outcome = 'SKIPPED' LIMIT 1",
                Long.parseLong(chain));
        assertTrue(reason.contains("maxInstances 1"), reason);
        assertTrue(Jdbc.<Long>value("SELECT count(*) FROM jobyard.job WHERE schedule_id = ?", Long.parseLong(chain)) <= 1);
    }

    @Test
    void anExclusiveChainHoldsBackOtherChainsWhileItRuns() {
        String exclusive = chain(Map.of("exclusive", true, "tasks", List.of(Chains.sql("SELECT pg_sleep(2)"))));
        String other = chain(Map.of("tasks", List.of(Chains.sql("SELECT 1"))));
        String first = Chains.run(exclusive);
        Jobs.awaitStatus(first, "RUNNING", Duration.ofSeconds(15));

        String second = Chains.run(other);

        JsonPath done = Jobs.awaitStatus(second, "COMPLETED", Duration.ofSeconds(20));
        JsonPath held = Jobs.job(first);
        assertEquals("COMPLETED", held.getString("status"));
        assertFalse(OffsetDateTime.parse(done.getString("startedAt")).isBefore(OffsetDateTime.parse(held.getString("completedAt"))),
                "the other chain started only after the exclusive run ended");
    }

    @Test
    void aSelfDestructingChainIsDeletedAfterItsFirstSuccessfulRun() {
        String chain = Chains.create(Map.of("selfDestruct", true, "tasks", List.of(Chains.sql("SELECT 1")))).getString("id");

        String run = Chains.runAndAwait(chain, "COMPLETED").getString("id");

        Await.until(Duration.ofSeconds(20), () -> Chains.errorCode(execute("query($id: ID) { chain(id: $id) { id } }",
                Map.of("id", chain))), "NOT_FOUND"::equals, "the chain to be gone");
        assertEquals(0L, Jdbc.<Long>value("SELECT count(*) FROM jobyard.chain_task WHERE chain_id = ?", Long.parseLong(chain)));
        assertEquals("COMPLETED", Jobs.status(run), "its run stays in history");
    }
}
