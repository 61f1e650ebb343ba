package dev.jobyard.common;

import io.smallrye.graphql.api.ErrorCode;

@ErrorCode("NOT_FOUND")
public class NotFoundException extends JobyardException {

    public NotFoundException(String what, Object id) {
        super(what + " " + id + " does not exist");
    }

    @Override
    public String code() {
        return "NOT_FOUND";
    }
}
