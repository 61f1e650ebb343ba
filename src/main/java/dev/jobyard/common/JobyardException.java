package dev.jobyard.common;

/**
 * A failure that the caller can act on: bad input, a missing object, a conflict. The API layer turns
 * each subclass into a GraphQL error whose {@code extensions.code} is the subclass's code.
 */
public abstract class JobyardException extends RuntimeException {

    protected JobyardException(String message) {
        super(message);
    }

    public abstract String code();
}
