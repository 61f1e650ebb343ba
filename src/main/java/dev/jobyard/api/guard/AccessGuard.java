package dev.jobyard.api.guard;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import dev.jobyard.access.AuditTrail;
import dev.jobyard.access.Authenticator;
import dev.jobyard.access.Caller;
import dev.jobyard.access.Perm;
import dev.jobyard.access.Permissions;
import dev.jobyard.access.RateLimiter;
import dev.jobyard.common.ForbiddenException;
import dev.jobyard.common.JobyardException;
import dev.jobyard.common.UnauthenticatedException;
import dev.jobyard.config.JobyardConfig;
import dev.jobyard.durable.script.DurableScriptHandler;
import graphql.ExecutionInput;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import graphql.GraphQLContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.language.OperationDefinition;
import graphql.schema.DataFetcher;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place where access is checked: before a query, mutation or subscription field runs, its declared
 * {@link Perm} against the caller's role, admin-only kinds and queue grants in its arguments, and the caller's
 * mutation rate; then every mutation, refused or run, is audited. Nothing of the field runs when it is refused.
 */
final class AccessGuard extends SimplePerformantInstrumentation {

    /** The key under which the client's address is kept in the GraphQL context. */
    static final String ADDRESS = "jobyard.address";

    private final JobyardConfig config;
    private final Set<String> adminKinds;
    private volatile Beans beans;

    private record Beans(Authenticator authenticator, Permissions permissions, RateLimiter rates, AuditTrail audit) {
    }

    AccessGuard(JobyardConfig config) {
        this.config = config;
        this.adminKinds = Set.copyOf(config.auth().adminKinds());
    }

    private Beans beans() {
        if (beans == null) {
            var c = Arc.container();
            beans = new Beans(c.instance(Authenticator.class).get(), c.instance(Permissions.class).get(),
                    c.instance(RateLimiter.class).get(), c.instance(AuditTrail.class).get());
        }
        return beans;
    }

    @Override
    public ExecutionInput instrumentExecutionInput(ExecutionInput input, InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        GraphQLContext context = input.getGraphQLContext();
        if (!context.hasKey(Caller.KEY)) {
            // An HTTP request: HttpGuard authenticated it on its routing context. (A socket puts its caller in the context.)
            RoutingContext request = currentRequest();
            Caller caller = request == null ? null : request.get(Caller.KEY);
            context.put(Caller.KEY, caller != null ? caller : beans().authenticator().enabled() ? Caller.NOBODY : Caller.OPEN);
            if (request != null && request.request().remoteAddress() != null) {
                context.put(ADDRESS, request.request().remoteAddress().host());
            }
        }
        return input;
    }

    /** The request-scoped bean's client proxy, looked up once: it finds the current request by itself. */
    private volatile CurrentVertxRequest requests;

    private RoutingContext currentRequest() {
        try {
            if (requests == null) {
                requests = Arc.container().instance(CurrentVertxRequest.class).get();
            }
            return Arc.container().requestContext().isActive() ? requests.getCurrent() : null;
        } catch (RuntimeException e) {
            // No request context: not an HTTP request.
            return null;
        }
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        if (parameters.getExecutionStepInfo().getPath().getLevel() != 1) {
            return fetcher;
        }
        return env -> {
            String field = env.getField().getName();
            if (field.startsWith("__")) {
                return fetcher.get(env);
            }
            OperationDefinition.Operation operation = env.getOperationDefinition().getOperation();
            Caller caller = dev.jobyard.access.Callers.of(env.getGraphQlContext());
            boolean mutation = operation == OperationDefinition.Operation.MUTATION;
            AuditTrail.Entry entry = mutation ? beans().audit().begin(caller, field, env.getArguments(),
                    env.getGraphQlContext().get(ADDRESS)) : null;
            try {
                check(caller, root(operation), field, env.getArguments());
                if (mutation) {
                    beans().rates().count(caller);
                }
            } catch (JobyardException refused) {
                if (entry != null) {
                    beans().audit().refused(entry, refused.code());
                }
                throw refused;
            }
            if (entry == null) {
                return fetcher.get(env);
            }
            Object value;
            try {
                value = beans().audit().running(env.getGraphQlContext(), entry, () -> fetcher.get(env));
            } catch (Exception e) {
                beans().audit().ended(entry, e);
                throw e;
            }
            if (value instanceof CompletionStage<?> stage) {
                return stage.whenComplete((v, failure) -> beans().audit().ended(entry, failure));
            }
            beans().audit().ended(entry, null);
            return value;
        };
    }

    private static Permissions.Root root(OperationDefinition.Operation operation) {
        return switch (operation) {
            case QUERY -> Permissions.Root.QUERY;
            case MUTATION -> Permissions.Root.MUTATION;
            case SUBSCRIPTION -> Permissions.Root.SUBSCRIPTION;
        };
    }

    private void check(Caller caller, Permissions.Root root, String field, Map<String, Object> arguments) {
        if (caller == Caller.OPEN) {
            return;
        }
        Permissions.Declared declared = beans().permissions().of(root, field).orElseThrow(() -> new ForbiddenException(
                field + " declares no permission, so nobody may call it (docs/security.md, \"Declaring a field's permission\")"));
        require(caller, declared.perm(), field);
        if (root == Permissions.Root.MUTATION && mentionsAdminKind(arguments)) {
            require(caller, Perm.ADMIN_KINDS, field + " with an admin-only kind (jobyard.auth.admin-kinds)");
        }
        if (!caller.queues().all()) {
            if (!declared.queueArgument().isEmpty()) {
                queueAllowed(caller, field + "." + declared.queueArgument(), (String) arguments.get(declared.queueArgument()));
            }
            if (root == Permissions.Root.MUTATION && declared.kindsAreJobs()) {
                jobQueues(caller, field, arguments);
            }
        }
    }

    private static void require(Caller caller, Perm perm, String what) {
        if (caller.holds(perm)) {
            return;
        }
        String needs = what + " needs permission " + perm.label() + " (role " + perm.role().label() + " or above)";
        if (caller.role() == null) {
            throw new UnauthenticatedException(needs + "; send an API key or a token (Authorization: Bearer …, or X-Api-Key)");
        }
        throw new ForbiddenException(needs + "; " + caller.subject() + " has role " + caller.role().label());
    }

    private static void queueAllowed(Caller caller, String at, String queue) {
        if (queue != null && !caller.queues().allows(queue)) {
            throw new ForbiddenException(at + ": queue '" + queue + "' is not granted to " + caller.subject()
                    + " (granted: " + caller.queues() + ")");
        }
    }

    /** Any object with a job kind in the arguments is a job to create: its queue (default "default") must be granted. */
    private static void jobQueues(Caller caller, String at, Object value) {
        if (value instanceof jakarta.json.JsonValue) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            Object kind = map.get("kind") instanceof String k ? k : map.get("jobKind");
            if (kind instanceof String) {
                Object queue = map.get("queue");
                String own = queue instanceof String q ? q : "default";
                queueAllowed(caller, at + ".queue", own);
                if (DurableScriptHandler.KIND.equals(kind) && map.get("payload") != null) {
                    scriptQueues(caller, at + ".payload", map.get("payload"), own);
                }
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                // A payload is JSON for the job's handler, not an input: its "kind"s are no jobs (a durable_script's
                // ops that make jobs are checked above).
                if (!"payload".equals(e.getKey()) && !"jobPayload".equals(e.getKey())) {
                    jobQueues(caller, at + "." + e.getKey(), e.getValue());
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                jobQueues(caller, at + "[" + i + "]", list.get(i));
            }
        }
    }

    /**
     * A durable_script's ops act beyond its own job: an {@code invoke} creates a job in its {@code queue} (default: the
     * script's), which must be granted too; {@code emit} wakes tasks of every queue and {@code schedule} and
     * {@code unschedule} change schedules by name, so a caller limited to some queues may not use them.
     */
    @SuppressWarnings("unchecked")
    private static void scriptQueues(Caller caller, String at, Object payload, String ownQueue) {
        // The JSON argument arrives as graphql-java's maps and lists, or as JSON-P values when it was a variable.
        Object plain = payload instanceof jakarta.json.JsonValue json ? Json.decodeValue(json.toString()) : payload;
        JsonObject script = plain instanceof JsonObject o ? o : plain instanceof Map<?, ?> m ? new JsonObject((Map<String, Object>) m) : null;
        if (script == null || !(script.getValue("ops") instanceof List || script.getValue("ops") instanceof JsonArray)) {
            return;
        }
        JsonArray ops = script.getJsonArray("ops");
        for (int i = 0; i < ops.size(); i++) {
            Object item = ops.getValue(i);
            JsonObject op = item instanceof JsonObject o ? o : item instanceof Map<?, ?> m ? new JsonObject((Map<String, Object>) m) : null;
            if (op == null || !(op.getValue("op") instanceof String name)) {
                continue;
            }
            String where = at + ".ops[" + i + "]";
            switch (name) {
                case "invoke" -> queueAllowed(caller, where + ".queue", op.getValue("queue") instanceof String q ? q : ownQueue);
                case "emit", "schedule", "unschedule" -> throw new ForbiddenException(where + ".op: '" + name
                        + "' acts on every queue, and " + caller.subject() + " is limited to queues (" + caller.queues() + ")");
                default -> {
                }
            }
        }
    }

    /**
     * Whether a {@code kind} or {@code jobKind} anywhere in the arguments names a kind on jobyard.auth.admin-kinds.
     * JSON arguments are searched too: a payload can make jobs of its own (a durable_script's {@code invoke} op),
     * so an admin-only kind named inside one needs the permission as well (a false alarm only asks for admin).
     */
    private boolean mentionsAdminKind(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object named = e.getValue() instanceof jakarta.json.JsonString js ? js.getString() : e.getValue();
                if (("kind".equals(e.getKey()) || "jobKind".equals(e.getKey())) && named instanceof String kind
                        && adminKinds.contains(kind)) {
                    return true;
                }
                if (mentionsAdminKind(e.getValue())) {
                    return true;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                if (mentionsAdminKind(item)) {
                    return true;
                }
            }
        }
        return false;
    }
}
