package dev.jobyard.access;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.execution.context.SmallRyeContext;
import io.smallrye.graphql.execution.context.SmallRyeContextManager;

/**
 * The caller of the GraphQL request being resolved, for resolvers and services that filter by queue grants.
 * The guard puts it in the request's GraphQL context; SmallRye GraphQL carries that context to the worker
 * thread of a blocking resolver.
 */
public final class Callers {

    private Callers() {
    }

    /** The current request's caller; {@link Caller#OPEN} outside a GraphQL request (engine, tests' direct calls). */
    public static Caller current() {
        SmallRyeContext context = SmallRyeContextManager.getCurrentSmallRyeContext();
        DataFetchingEnvironment env = context == null ? null : context.getDataFetchingEnvironment();
        return env == null ? Caller.OPEN : of(env.getGraphQlContext());
    }

    public static Caller of(GraphQLContext context) {
        Caller caller = context == null ? null : context.get(Caller.KEY);
        return caller == null ? Caller.OPEN : caller;
    }

    /** The queues the current caller may see. */
    public static QueueGrants queues() {
        return current().queues();
    }
}
