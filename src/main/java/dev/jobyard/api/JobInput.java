package dev.jobyard.api;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.jobyard.job.JobRequest;

@Input("JobInput")
@Description("A job to create. Only kind is required.")
public class JobInput {

    @Description("Queue name; default 'default'.")
    public String queue;
    @NonNull
    @Description("The handler that runs it, e.g. noop, echo, sleep, log.")
    public String kind;
    @Description("At most 200 characters.")
    public String name;
    public String description;
    @Description("A JSON object; at most jobyard.limits.max-payload-bytes.")
    public jakarta.json.JsonValue payload;
    @Description("Higher runs first; -1000..1000, default 0.")
    public Integer priority;
    @Description("Earliest start; or give delaySeconds.")
    public OffsetDateTime runAt;
    @Description("Start no earlier than this many seconds from now (database clock).")
    public Integer delaySeconds;
    @Id
    @Description("Ids of existing jobs (active or archived COMPLETED) that must complete first.")
    public List<String> dependencies;
    @Description("Attempts allowed, counting the first; default 3, at least 1.")
    public Integer maxAttempts;
    @Description("An attempt running longer fails; at least 1.")
    public Integer timeoutSeconds;
    @Description("Creating again with the same key returns the existing job.")
    public String idempotencyKey;
    @Description("A JSON object; at most jobyard.limits.max-labels-bytes.")
    public jakarta.json.JsonValue labels;
    @Description("createJobs only: a name other items of the batch use in dependsOnRefs.")
    public String ref;
    @Description("createJobs only: refs of items of the same batch that must complete first.")
    public List<String> dependsOnRefs;

    /** The request, with JSON that is not an object refused under {@code at} (input, inputs[2]). */
    JobRequest toRequest(String at) {
        return new JobRequest(queue, kind, name, description, JsonValues.objectOf(at + ".payload", payload),
                JsonValues.objectOf(at + ".labels", labels), priority, runAt, delaySeconds == null ? null : delaySeconds.longValue(), dependencies, maxAttempts,
                timeoutSeconds, idempotencyKey, ref, dependsOnRefs);
    }
}
