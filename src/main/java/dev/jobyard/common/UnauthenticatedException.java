package dev.jobyard.common;

import io.smallrye.graphql.api.ErrorCode;

/** No or bad credentials: the caller is not known. The message names what is missing. */
@ErrorCode("UNAUTHENTICATED")
public class UnauthenticatedException extends JobyardException {

    public UnauthenticatedException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "UNAUTHENTICATED";
    }
}
