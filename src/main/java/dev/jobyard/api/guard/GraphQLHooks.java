package dev.jobyard.api.guard;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.jobyard.api.FlowInputArgument;
import dev.jobyard.config.JobyardConfig;
import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.schema.GraphQLSchema;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.graphql.spi.EventingService;

/**
 * Installs {@link RequestLimits} and {@link AccessGuard} into the GraphQL engine the extension builds, and
 * {@link FlowInputArgument}'s data fetcher into its schema. Loaded by the extension with the ServiceLoader
 * (META-INF/services), not by CDI; no config key switches it off. The extension's CDI events stay off
 * ({@code quarkus.smallrye-graphql.events.enabled}): they fire four events per call and ArC resolves each one's
 * observers anew, about a tenth of the CPU of a {@code createJob}.
 */
public final class GraphQLHooks implements EventingService {

    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQLSchema.Builder beforeSchemaBuild(GraphQLSchema.Builder builder) {
        return FlowInputArgument.replaceStartFlowFetcher(builder);
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder builder) {
        JobyardConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(JobyardConfig.class);
        // The extension's chain holds its optional depth and complexity checks, which RequestLimits replaces, and
        // its document cache, which must stay: the cache is also the engine's document provider, and it stores a
        // document only when, as an instrumentation, it sees the validation end. Without it every request was
        // parsed twice and validated again (issue 13: W2 allocated 2.8 times as much per job). The builder has no
        // getters, so the provider is read from a build that is thrown away.
        List<Instrumentation> chain = new ArrayList<>(3);
        if (builder.build().getPreparsedDocumentProvider() instanceof Instrumentation fillsTheCache) {
            chain.add(fillsTheCache);
        }
        chain.add(new RequestLimits(config));
        // The one place access is checked, audited and rate-limited (docs/security.md).
        chain.add(new AccessGuard(config));
        return builder.instrumentation(new ChainedInstrumentation(chain));
    }
}
