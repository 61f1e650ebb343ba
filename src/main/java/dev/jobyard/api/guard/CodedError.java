package dev.jobyard.api.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.language.SourceLocation;

/** A GraphQL error with an {@code extensions.code}: a rejection of our own, or one of graphql-java's with the code added. */
final class CodedError implements GraphQLError {

    static final String BAD_USER_INPUT = "BAD_USER_INPUT";

    private final String message;
    private final List<SourceLocation> locations;
    private final List<Object> path;
    private final ErrorClassification type;
    private final Map<String, Object> extensions;

    private CodedError(String message, List<SourceLocation> locations, List<Object> path, ErrorClassification type,
            Map<String, Object> extensions, String code) {
        this.message = message;
        this.locations = locations;
        this.path = path;
        this.type = type;
        this.extensions = new LinkedHashMap<>(extensions == null ? Map.of() : extensions);
        this.extensions.put("code", code);
    }

    /** A request refused before it ran: bad input, answered with BAD_USER_INPUT. */
    static CodedError badInput(String message) {
        return new CodedError(message, null, null, graphql.ErrorType.ValidationError, null, BAD_USER_INPUT);
    }

    static CodedError withCode(GraphQLError error, String code, String message) {
        return new CodedError(message, error.getLocations(), error.getPath(), error.getErrorType(),
                error.getExtensions(), code);
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public List<SourceLocation> getLocations() {
        return locations;
    }

    @Override
    public List<Object> getPath() {
        return path;
    }

    @Override
    public ErrorClassification getErrorType() {
        return type;
    }

    @Override
    public Map<String, Object> getExtensions() {
        return extensions;
    }
}
