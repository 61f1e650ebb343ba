package dev.jobyard.common;

import io.smallrye.graphql.api.ErrorCode;

/** The request is well formed but the current state forbids it (already finished, duplicate name). */
@ErrorCode("CONFLICT")
public class ConflictException extends JobyardException {

    public ConflictException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "CONFLICT";
    }
}
