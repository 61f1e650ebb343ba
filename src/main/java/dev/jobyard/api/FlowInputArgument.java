package dev.jobyard.api;

import java.util.concurrent.CompletableFuture;

import dev.jobyard.access.Callers;
import dev.jobyard.access.QueueGrants;
import dev.jobyard.flow.run.FlowRuns;
import graphql.schema.DataFetcher;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLSchema;
import io.quarkus.arc.Arc;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.Json;

/**
 * Runs {@code startFlow} with its {@code input} argument as the JSON scalar parsed it, so that a run's input may be
 * any JSON value (a root MAP step needs an array). SmallRye GraphQL converts a top-level argument of the JSON scalar
 * only when it is an object: it hands an array or a number to the {@code JsonValue} parameter unconverted (the call
 * fails) and re-parses a string as JSON text. The schema stays as {@link FlowResource#startFlow} declares it; this
 * replaces that field's data fetcher with one that reads the raw argument and calls {@link FlowRuns} on a worker
 * thread, as a {@code @Blocking} resolver runs. Installed by {@code api.guard.GraphQLHooks} while the schema is
 * built (the extension's ServiceLoader hook, not its CDI events, which cost a lookup of observers on every call).
 */
public final class FlowInputArgument {

    private FlowInputArgument() {
    }

    public static GraphQLSchema.Builder replaceStartFlowFetcher(GraphQLSchema.Builder builder) {
        GraphQLSchema schema = builder.build();
        if (schema.getMutationType() == null || schema.getMutationType().getFieldDefinition("startFlow") == null) {
            return builder;
        }
        DataFetcher<CompletableFuture<FlowViews.FlowRunView>> fetcher = env -> {
            CompletableFuture<FlowViews.FlowRunView> answer = new CompletableFuture<>();
            // Read here: the worker thread below has no GraphQL context to find the caller in.
            QueueGrants granted = Callers.of(env.getGraphQlContext()).queues();
            // Completed with the exception itself (not wrapped), so its error code reaches the client.
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    FlowRuns runs = Arc.container().instance(FlowRuns.class).get();
                    answer.complete(FlowViews.FlowRunView.of(runs.start(env.getArgument("slug"),
                            Json.encode(env.getArgument("input")), env.getArgument("idempotencyKey"), granted)));
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                }
            });
            return answer;
        };
        return builder.codeRegistry(schema.getCodeRegistry().transform(
                registry -> registry.dataFetcher(FieldCoordinates.coordinates("Mutation", "startFlow"), fetcher)));
    }
}
