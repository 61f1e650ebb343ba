package dev.jobyard.common;

import io.smallrye.graphql.api.ErrorCode;

/** Input that breaks a rule; the message names the field and says what is wrong. */
@ErrorCode("BAD_USER_INPUT")
public class BadInputException extends JobyardException {

    private final String field;
    private final String problem;

    public BadInputException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    /** The same error for a field nested under {@code parent}, e.g. payload.ms under inputs[2]. */
    public BadInputException under(String parent) {
        return new BadInputException(parent + "." + field, problem);
    }

    @Override
    public String code() {
        return "BAD_USER_INPUT";
    }
}
