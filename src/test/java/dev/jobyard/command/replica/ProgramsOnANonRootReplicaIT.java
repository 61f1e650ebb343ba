package dev.jobyard.command.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.jobyard.testing.Await;
import dev.jobyard.testing.ReplicaProcess;
import io.restassured.path.json.JsonPath;

/**
 * A replica that is not root, as the container image runs it (uid 185), runs programs as its own user. The
 * kernel would let such a program read the service's environment from {@code /proc/<pid>/environ}; the
 * service makes itself non-dumpable so that it cannot. The replica runs as {@code nobody} here, with a
 * credential in its environment.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProgramsOnANonRootReplicaIT {

    private static final String CREATE = "mutation($input: JobInput!) { createJob(input: $input) { id } }";
    private static final String JOB = "query($id: ID!) { job(id: $id) { status error result "
            + "attemptOutputs { output } } }";

    @Test
    void aProgramCannotReadTheEnvironmentOfAServiceThatRunsAsItsOwnUser() {
        // given a replica running as nobody, with a credential in its environment and programs enabled
        String credential = "credential-" + UUID.randomUUID();
        String nodeId = "nonroot-" + UUID.randomUUID().toString().substring(0, 6);
        try (ReplicaProcess replica = ReplicaProcess.launchAsUser("nobody", nodeId,
                Map.of("JOBYARD_IT_CREDENTIAL", credential),
                Map.of("jobyard.commands.program.enabled", "true",
                        "jobyard.commands.program.allowed", "cat,id"),
                Path.of("target", "it-replicas", "ProgramsOnANonRootReplicaIT"))) {
            replica.waitReady(Duration.ofSeconds(90));
            String queue = "nonroot-" + nodeId;

            // when programs say who they run as, read their own environment, and read the service's
            JsonPath who = finished(replica, create(replica, queue, "id", List.of("-u")));
            JsonPath own = finished(replica, create(replica, queue, "cat", List.of("/proc/self/environ")));
            JsonPath service = finished(replica, create(replica, queue, "cat", List.of("/proc/" + replica.pid() + "/environ")));

            // then they run as the service's user, not root, and can read /proc environ files in general
            assertEquals("COMPLETED", who.getString("job.status"), who::prettify);
            assertEquals(ReplicaProcess.id("-u", "nobody"), who.getString("job.result.stdout").trim());
            assertEquals("COMPLETED", own.getString("job.status"), own::prettify);
            assertTrue(own.getString("job.result.stdout").contains("HOME="), own::prettify);
            // but the kernel refuses them the service's environment, and the credential appears nowhere
            assertEquals("FAILED", service.getString("job.status"), service::prettify);
            assertEquals("exit code 1", service.getString("job.error"));
            String stderr = service.getString("job.attemptOutputs[0].output.stderr");
            assertTrue(stderr.contains("Permission denied"), stderr);
            assertFalse(service.prettify().contains(credential), service::prettify);
            assertEquals(List.of(), replica.logLinesContaining(" ERROR "));
        }
    }

    private static String create(ReplicaProcess replica, String queue, String command, List<String> args) {
        return replica.graphql(CREATE, Map.of("input", Map.of("queue", queue, "kind", "program", "maxAttempts", 1,
                "payload", Map.of("command", command, "args", args)))).getString("createJob.id");
    }

    private static JsonPath finished(ReplicaProcess replica, String id) {
        return Await.until(Duration.ofSeconds(60), () -> replica.graphql(JOB, Map.of("id", id)),
                job -> List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.getString("job.status")),
                "job " + id + " to finish");
    }
}
