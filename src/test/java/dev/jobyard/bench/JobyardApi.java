package dev.jobyard.bench;

import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The public GraphQL operations the workloads use, each exactly as a client would send it. */
public final class JobyardApi {

    private final GraphQL graphql;

    public JobyardApi(GraphQL graphql) {
        this.graphql = graphql;
    }

    public GraphQL graphql() {
        return graphql;
    }

    /** {@code createJobs}: all items in one call, one transaction; returns the new ids in input order. */
    public List<Long> createJobs(List<Map<String, Object>> inputs) {
        JsonArray created = graphql.execute("mutation($in: [JobInput!]!) { createJobs(inputs: $in) { id } }",
                Map.of("in", inputs)).getJsonArray("createJobs");
        return created.stream().map(o -> Long.parseLong(((JsonObject) o).getString("id"))).toList();
    }

    /** {@code createJob}: a single job; returns its id. */
    public long createJob(Map<String, Object> input) {
        return Long.parseLong(graphql.execute("mutation($in: JobInput!) { createJob(input: $in) { id } }",
                Map.of("in", input)).getJsonObject("createJob").getString("id"));
    }

    public void pauseQueue(String name) {
        graphql.execute("mutation($q: String!) { pauseQueue(name: $q) { paused } }", Map.of("q", name));
    }

    public void resumeQueue(String name) {
        graphql.execute("mutation($q: String!) { resumeQueue(name: $q) { paused } }", Map.of("q", name));
    }

    public long createSchedule(Map<String, Object> input) {
        return Long.parseLong(graphql.execute("mutation($in: ScheduleInput!) { createSchedule(input: $in) { id } }",
                Map.of("in", input)).getJsonObject("createSchedule").getString("id"));
    }

    /** {@code pauseSchedule} without an id pauses every active schedule at once. */
    public void pauseAllSchedules() {
        graphql.execute("mutation { pauseSchedule { id } }", Map.of());
    }

    /** The node id of the replica that fires schedules, or null while none leads. */
    public String leader() {
        JsonObject leader = graphql.execute("{ leader { nodeId } }", Map.of()).getJsonObject("leader");
        return leader == null ? null : leader.getString("nodeId");
    }
}
