package dev.jobyard.common;

import io.smallrye.graphql.api.ErrorCode;

/** Input that breaks a rule; the message names the field and says what is wrong. */
@ErrorCode("BAD_USER_INPUT")
public class BadInputException extends JobyardException {

    public BadInputException(String field, String problem) {
        super(field + ": " + problem);
    }

    @Override
    public String code() {
        return "BAD_USER_INPUT";
    }
}
