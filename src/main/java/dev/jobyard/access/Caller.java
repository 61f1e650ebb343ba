package dev.jobyard.access;

import java.time.Instant;

/**
 * Who made a request: a subject (a token's {@code sub}, {@code key:<name>}, {@code bootstrap}), the role, the
 * queues granted and when the credentials stop being valid (null: never).
 */
public record Caller(String subject, Role role, QueueGrants queues, Instant expiresAt, boolean anonymous) {

    /** The key under which a request's caller is kept (routing context, GraphQL context). */
    public static final String KEY = "jobyard.caller";

    /** Everyone, while access control is off: an admin on every queue. */
    public static final Caller OPEN = new Caller("anonymous", Role.ADMIN, QueueGrants.ALL, null, true);

    /** No credentials, while access control is on: may do nothing. */
    public static final Caller NOBODY = new Caller("anonymous", null, QueueGrants.ALL, null, true);

    public boolean holds(Perm perm) {
        return role != null && role.includes(perm.role());
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
