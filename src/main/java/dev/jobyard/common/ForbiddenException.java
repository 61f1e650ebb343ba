package dev.jobyard.common;

import io.smallrye.graphql.api.ErrorCode;

/** A known caller asked for something its role or queue grants do not allow. The message names what is missing. */
@ErrorCode("FORBIDDEN")
public class ForbiddenException extends JobyardException {

    public ForbiddenException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "FORBIDDEN";
    }
}
