package dev.jobyard.api.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.Scalars;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.parser.Parser;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.graphql.execution.QueryCache;

/**
 * An operation a client repeats is parsed and validated once: the extension's document cache stays in the
 * engine's instrumentation chain next to {@link RequestLimits}, since it fills itself from there (issue 13:
 * without it, each W2 request was parsed twice and validated again). A Quarkus test only for the
 * configuration that {@link GraphQLHooks} reads.
 */
@QuarkusTest
class RepeatedOperationsTest {

    private static final String OPERATION = "{ hello }";

    @Test
    void anOperationThatRanOnceIsServedFromTheExtensionsCacheUnparsed() {
        // given the engine wired as the extension wires it (ExecutionService: its QueryCache both the document
        // provider and an instrumentation), then given to the hook
        QueryCache cache = new QueryCache();
        GraphQL.Builder builder = GraphQL.newGraphQL(schema())
                .instrumentation(new ChainedInstrumentation(List.of(cache))).preparsedDocumentProvider(cache);
        GraphQL graphql = new GraphQLHooks().beforeGraphQLBuild(builder).build();

        // when an operation runs once
        ExecutionResult result = graphql.execute(OPERATION);
        assertTrue(result.getErrors().isEmpty(), () -> "ran: " + result.getErrors());

        // then the next request for it finds the validated document in the cache
        AtomicInteger parsed = new AtomicInteger();
        cache.getDocumentAsync(ExecutionInput.newExecutionInput(OPERATION).build(), input -> {
            parsed.incrementAndGet();
            return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
        }).join();
        assertEquals(0, parsed.get(), "documents parsed again for an operation that already ran");
    }

    private static GraphQLSchema schema() {
        return GraphQLSchema.newSchema().query(GraphQLObjectType.newObject().name("Query")
                .field(field -> field.name("hello").type(Scalars.GraphQLString))).build();
    }
}
