package dev.jobyard.api.guard;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Publisher;

import dev.jobyard.common.BadInputException;
import dev.jobyard.config.JobyardConfig;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.execution.AbortExecutionException;
import graphql.execution.DataFetcherResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.introspection.Introspection;
import graphql.language.OperationDefinition;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import mutiny.zero.flow.adapters.AdaptersToFlow;
import mutiny.zero.flow.adapters.AdaptersToReactiveStreams;

/**
 * The {@code jobyard.api.*} limits of one GraphQL execution, on every transport: the operation's cost and
 * the jobs it creates (checked before anything runs), introspection, the text of arguments, the bytes of the
 * response, and the delivery of subscription events; and a code on every error ({@link ErrorCodes}).
 */
final class RequestLimits extends SimplePerformantInstrumentation {

    private final JobyardConfig config;
    /**
     * Subscription events are executed here: half the cores at most, so that a flood of events to many
     * subscribers leaves CPU to lease renewals and claims; subscribers it cannot keep up with are dropped.
     */
    private final Executor delivery = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
            runnable -> {
                Thread thread = new Thread(runnable, "jobyard-subscription-delivery");
                thread.setDaemon(true);
                return thread;
            });

    RequestLimits(JobyardConfig config) {
        this.config = config;
    }

    /** Per execution: the bytes of text and JSON fetched so far. */
    private static final class Budget implements InstrumentationState {
        final AtomicLong bytes = new AtomicLong();
        final AtomicBoolean reported = new AtomicBoolean();
    }

    @Override
    public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
        return new Budget();
    }

    @Override
    public ExecutionInput instrumentExecutionInput(ExecutionInput input, InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        if (!config.api().introspection()) {
            input.getGraphQLContext().put(Introspection.INTROSPECTION_DISABLED, true);
        }
        return input;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        OperationDefinition operation = execution.getOperationDefinition();
        var api = config.api();
        String exceeded = OperationCost.exceeded(operation, execution.getFragmentsByName(),
                new OperationCost.Limits(api.maxQueryDepth(), api.maxQueryComplexity(), api.maxAliases()));
        if (exceeded != null) {
            throw new AbortExecutionException(List.of(CodedError.badInput(exceeded)));
        }
        if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
            int jobs = OperationCost.jobsCreated(operation, execution.getFragmentsByName(), execution.getCoercedVariables().toMap());
            int max = config.limits().maxBatchSize();
            if (jobs > max) {
                throw new AbortExecutionException(List.of(CodedError.badInput("inputs: at most " + max
                        + " jobs per request, all createJob and createJobs fields together (jobyard.limits.max-batch-size), got " + jobs)));
            }
        }
        return super.beginExecuteOperation(parameters, state);
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
            InstrumentationExecutionParameters parameters, InstrumentationState state) {
        return CompletableFuture.completedFuture(ErrorCodes.coded(result, parameters));
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        Budget budget = (Budget) state;
        return env -> {
            if (!env.getArguments().isEmpty()) {
                ArgumentText.check(env.getArguments(), config.api().maxTextLength());
            }
            Object value = fetcher.get(env);
            if (value instanceof CompletionStage<?> stage) {
                return stage.thenApply(v -> measured(v, budget));
            }
            if (value instanceof Publisher<?> events) {
                return AdaptersToReactiveStreams.publisher(delivered(AdaptersToFlow.publisher(events), env));
            }
            if (value instanceof Flow.Publisher<?> events) {
                return delivered(events, env);
            }
            return measured(value, budget);
        };
    }

    /** Counts text and JSON against jobyard.api.max-response-bytes; past it, the field is an error. */
    private Object measured(Object value, Budget budget) {
        Object data = value instanceof DataFetcherResult<?> result ? result.getData() : value;
        long size;
        if (data instanceof CharSequence text) {
            size = text.length();
        } else if (data instanceof jakarta.json.JsonValue json) {
            size = json.toString().length();
        } else {
            return value;
        }
        long max = config.api().maxResponseBytes();
        if (budget.bytes.addAndGet(size) > max) {
            if (budget.reported.compareAndSet(false, true)) {
                throw new BadInputException("response", "would be larger than " + max
                        + " bytes (jobyard.api.max-response-bytes); ask for fewer fields or items");
            }
            return null;
        }
        return value;
    }

    /**
     * Subscription events are executed and sent on the delivery pool, never on the thread that publishes them
     * (an event loop), with at most {@code jobyard.api.max-queued-messages} waiting per subscription; a
     * subscriber that falls further behind has its socket closed with 4503.
     */
    private <T> Multi<T> delivered(Flow.Publisher<T> events, DataFetchingEnvironment env) {
        SocketSession socket = env.getGraphQlContext().get(SocketSession.KEY);
        return Multi.createFrom().publisher(events)
                .onOverflow().buffer(config.api().maxQueuedMessages())
                .emitOn(delivery)
                .onFailure(BackPressureFailure.class).invoke(failure -> {
                    if (socket != null) {
                        socket.tooSlow();
                    }
                })
                .onFailure(BackPressureFailure.class).recoverWithCompletion();
    }
}
