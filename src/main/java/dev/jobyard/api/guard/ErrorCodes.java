package dev.jobyard.api.guard;

import java.util.List;

import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.introspection.IntrospectionDisabledError;

/**
 * Gives every error an {@code extensions.code}. Errors thrown by resolvers have theirs already (the
 * extension derives it from the exception); graphql-java's own (syntax, validation, a variable that does not
 * coerce, an aborted request) have none, and are the caller's fault: BAD_USER_INPUT. A query for the
 * schema while introspection is off is FORBIDDEN. A resolver failure that is not one of Jobyard's rejections is
 * UNAVAILABLE or INTERNAL ({@link FailureCodes}), never a code named after an exception class.
 */
final class ErrorCodes {

    private ErrorCodes() {
    }

    static ExecutionResult coded(ExecutionResult result, InstrumentationExecutionParameters request) {
        List<GraphQLError> errors = result.getErrors();
        if (errors.isEmpty() || errors.stream().allMatch(e -> hasCode(e) && !isForeignFailure(e))) {
            return result;
        }
        List<GraphQLError> coded = errors.stream().map(e -> recoded(e, request)).toList();
        return result.transform(b -> b.errors(coded));
    }

    private static GraphQLError recoded(GraphQLError error, InstrumentationExecutionParameters request) {
        if (isForeignFailure(error)) {
            String code = FailureCodes.codeOf(((ExceptionWhileDataFetching) error).getException());
            return CodedError.withCode(error, code, FailureCodes.messageOf(code));
        }
        return hasCode(error) ? error : CodedError.withCode(error, codeOf(error), named(error, request));
    }

    /** A resolver failure that is not a rejection of Jobyard's own (the database away, a bug). */
    private static boolean isForeignFailure(GraphQLError error) {
        return error instanceof ExceptionWhileDataFetching f && !FailureCodes.isOwn(f.getException());
    }

    /** graphql-java's message, with the field of a variable that did not coerce named in front of it. */
    private static String named(GraphQLError error, InstrumentationExecutionParameters request) {
        String message = error.getMessage();
        boolean badVariable = message != null && message.startsWith("Variable '");
        // The extension's argument conversion fails with "argument 'input' with value … is not a valid 'Unknown Scalar Type …'".
        boolean badArgument = message != null && message.startsWith("argument '") && message.contains("is not a valid");
        if (!(badVariable || badArgument) || request.getQuery() == null) {
            return message;
        }
        String found = VariablePaths.firstInvalid(request.getSchema(), request.getQuery(), request.getOperation(),
                request.getVariables() == null ? java.util.Map.of() : request.getVariables());
        return found == null ? message : badVariable ? found + " (" + message + ")" : found;
    }

    private static boolean hasCode(GraphQLError error) {
        return error instanceof ExceptionWhileDataFetching
                || (error.getExtensions() != null && error.getExtensions().get("code") != null);
    }

    private static String codeOf(GraphQLError error) {
        return error instanceof IntrospectionDisabledError ? "FORBIDDEN" : CodedError.BAD_USER_INPUT;
    }
}
