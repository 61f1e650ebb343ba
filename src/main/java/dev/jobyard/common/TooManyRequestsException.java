package dev.jobyard.common;

import io.smallrye.graphql.api.ErrorCode;

/** A caller made more mutations than its role's rate limit allows. The message names what is missing. */
@ErrorCode("TOO_MANY_REQUESTS")
public class TooManyRequestsException extends JobyardException {

    public TooManyRequestsException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "TOO_MANY_REQUESTS";
    }
}
