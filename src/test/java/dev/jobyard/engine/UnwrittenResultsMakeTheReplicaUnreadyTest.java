package dev.jobyard.engine;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.Jdbc;
import dev.jobyard.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A result that waits longer than a lease to be written is a health problem: readiness goes down and
 * says why, the metric counts it, and its lease stops being renewed, so the rescuer ends the job instead
 * of it staying RUNNING for ever. Here PostgreSQL fails the write of one result again and again with an
 * error that looks transient (a trigger raising a serialization failure), so the completer keeps trying.
 */
@QuarkusTest
class UnwrittenResultsMakeTheReplicaUnreadyTest {

    @AfterEach
    void dropTrigger() {
        Jdbc.update("DROP TRIGGER IF EXISTS results_stuck ON jobyard.job_history");
        Jdbc.update("DROP FUNCTION IF EXISTS public.results_stuck()");
    }

    @Test
    void aResultThatCannotBeWrittenForALeaseMakesReadinessDownUntilTheRescuerEndsItsJob() {
        // Given every write of results marked "stuck" fails as if it lost a serialization race,
        Jdbc.update("CREATE FUNCTION public.results_stuck() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " RAISE EXCEPTION 'the test holds this result back' USING ERRCODE = '40001'; END $$");
        Jdbc.update("CREATE TRIGGER results_stuck BEFORE INSERT ON jobyard.job_history FOR EACH ROW"
                + " WHEN ((NEW.result->>'stuck') IS NOT NULL) EXECUTE FUNCTION public.results_stuck()");
        Await.until(Duration.ofSeconds(10), UnwrittenResultsMakeTheReplicaUnreadyTest::ready, r -> r.statusCode() == 200,
                "the replica to be ready before the test");

        // when a job returns such a result,
        String id = Jobs.create(Map.of("kind", "echo", "queue", Jobs.uniqueQueue(), "maxAttempts", 1,
                "payload", Map.of("stuck", true)));

        // then once it has waited longer than the lease (3 s in tests), readiness is down and says why,
        Response down = Await.until(Duration.ofSeconds(20), UnwrittenResultsMakeTheReplicaUnreadyTest::ready,
                r -> r.statusCode() == 503 && r.asString().contains("job-results"), "readiness to go down");
        assertTrue(down.asString().contains("job results have waited longer than the lease (3s) to be written"),
                down.asString());
        assertTrue(down.asString().contains("the test holds this result back"), down.asString());
        assertTrue(metric("jobyard_results_overdue") >= 1, "the metric counts it");
        // its lease is no longer renewed, so the rescuer ends the job (no attempts left),
        var job = Jobs.awaitStatus(id, "FAILED", Duration.ofSeconds(30));
        assertTrue(job.getString("error").contains("lease"), job.getString("error"));
        // and readiness comes back once the completer gives up on the result.
        Await.until(Duration.ofSeconds(30), UnwrittenResultsMakeTheReplicaUnreadyTest::ready, r -> r.statusCode() == 200,
                "readiness to come back");
    }

    private static Response ready() {
        return given().when().get("/q/health/ready");
    }

    private static double metric(String name) {
        for (String line : given().when().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }
}
