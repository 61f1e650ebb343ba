package dev.jobyard.api.guard;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.jobyard.config.JobyardConfig;
import graphql.GraphQL;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.graphql.spi.EventingService;

/**
 * Installs {@link RequestLimits} into the GraphQL engine the extension builds. Loaded by the extension with
 * the ServiceLoader (META-INF/services), not by CDI; no config key switches it off.
 */
public final class GraphQLHooks implements EventingService {

    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder builder) {
        JobyardConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(JobyardConfig.class);
        // The extension's chain holds only its optional depth and complexity checks, which RequestLimits replaces.
        return builder.instrumentation(new graphql.execution.instrumentation.ChainedInstrumentation(
                java.util.List.of(new RequestLimits(config), new AccessGuard(config))));
    }
}
