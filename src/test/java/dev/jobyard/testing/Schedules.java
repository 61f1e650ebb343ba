package dev.jobyard.testing;

import static dev.jobyard.testing.GraphQLClient.ok;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

/** The GraphQL calls the schedule tests make again and again. */
public final class Schedules {

    public static final String FIELDS = "id name schedule kind timezone jobKind queue status maxInstances selfDestruct "
            + "exclusive misfirePolicy lastRunAt nextRunAt error";

    /** Ids of the schedules this JVM created, so tests can remove them (leftovers would fire in later tests). */
    private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Schedules() {
    }

    /** Deletes every schedule created through {@link #create} that still exists. */
    public static void deleteCreated() {
        for (String id : CREATED) {
            GraphQLClient.execute("mutation($id: ID!) { deleteSchedule(id: $id) { id } }", Map.of("id", id));
        }
        CREATED.clear();
    }

    public static void pause(String id) {
        ok("mutation($id: ID) { pauseSchedule(id: $id) { id } }", Map.of("id", id));
    }

    public static String uniqueName() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a schedule of noop jobs (unless the input says otherwise) on a queue of its own. */
    public static JsonPath create(Map<String, Object> input) {
        Map<String, Object> full = new HashMap<>(Map.of("name", uniqueName(), "jobKind", "noop", "queue", Jobs.uniqueQueue()));
        full.putAll(input);
        JsonPath created = ok("mutation($in: ScheduleInput!) { createSchedule(input: $in) { " + FIELDS + " } }",
                Map.of("in", full)).setRootPath("data.createSchedule");
        CREATED.add(created.getString("id"));
        return created;
    }

    public static JsonPath get(String id) {
        return ok("query($id: ID) { schedule(id: $id) { " + FIELDS + " } }", Map.of("id", id)).setRootPath("data.schedule");
    }

    public static JsonPath runs(String id) {
        return ok("query($id: ID!) { scheduleRuns(scheduleId: $id, first: 500) { nodes { id status createdAt startedAt completedAt } } }",
                Map.of("id", id)).setRootPath("data.scheduleRuns");
    }

    public static JsonPath stats(String id) {
        return ok("query($id: ID!) { scheduleStats(scheduleId: $id) { runs successes failures skips meanDurationMs p95DurationMs lastError } }",
                Map.of("id", id)).setRootPath("data.scheduleStats");
    }

    public static void resume(String id) {
        ok("mutation($id: ID) { resumeSchedule(id: $id) { id } }", Map.of("id", id));
    }

    public static void delete(String id) {
        ok("mutation($id: ID!) { deleteSchedule(id: $id) { id } }", Map.of("id", id));
    }
}
