package dev.jobyard.api.guard;

import java.util.List;

import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.introspection.IntrospectionDisabledError;

/**
 * Gives every error an {@code extensions.code}. Errors thrown by resolvers have theirs already (the
 * extension derives it from the exception); graphql-java's own (syntax, validation, a variable that does not
 * coerce, an aborted request) have none, and are the caller's fault: BAD_USER_INPUT. A query for the
 * schema while introspection is off is FORBIDDEN.
 */
final class ErrorCodes {

    private ErrorCodes() {
    }

    static ExecutionResult coded(ExecutionResult result) {
        List<GraphQLError> errors = result.getErrors();
        if (errors.isEmpty() || errors.stream().allMatch(ErrorCodes::hasCode)) {
            return result;
        }
        List<GraphQLError> coded = errors.stream().map(e -> hasCode(e) ? e : CodedError.withCode(e, codeOf(e))).toList();
        return result.transform(b -> b.errors(coded));
    }

    private static boolean hasCode(GraphQLError error) {
        return error instanceof ExceptionWhileDataFetching
                || (error.getExtensions() != null && error.getExtensions().get("code") != null);
    }

    private static String codeOf(GraphQLError error) {
        return error instanceof IntrospectionDisabledError ? "FORBIDDEN" : CodedError.BAD_USER_INPUT;
    }
}
