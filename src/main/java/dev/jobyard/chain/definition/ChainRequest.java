package dev.jobyard.chain.definition;

import java.util.List;

import dev.jobyard.schedule.MisfirePolicy;

/**
 * A chain to create, or the fields to change (null keeps the stored value; {@code tasks} given replaces
 * them all). {@code schedule} null or "manual" runs only by runChain.
 */
public record ChainRequest(String name, String description, String schedule, String timezone, Boolean live,
        Integer maxInstances, Integer timeoutSeconds, Boolean selfDestruct, Boolean exclusive, String clientName,
        String onError, Integer maxAttempts, String queue, MisfirePolicy misfirePolicy, List<TaskRequest> tasks) {
}
