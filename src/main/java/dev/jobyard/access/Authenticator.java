package dev.jobyard.access;

import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.common.UnauthenticatedException;
import dev.jobyard.config.JobyardConfig;

/**
 * Turns the credentials of a request into its {@link Caller}: the bootstrap admin key, an API key
 * ({@value ApiKeys#PREFIX}…) or a bearer JWT. No credentials make {@link Caller#NOBODY} (every field then
 * answers UNAUTHENTICATED naming its permission); credentials that are not valid are refused outright.
 * With access control off every request is {@link Caller#OPEN}.
 */
@ApplicationScoped
@io.quarkus.arc.Unremovable
public class Authenticator {

    private final AccessMode mode;
    private final ApiKeys keys;
    private final TokenVerifier tokens;
    private final byte[] bootstrapHash;

    Authenticator(AccessMode mode, ApiKeys keys, TokenVerifier tokens, JobyardConfig config) {
        this.mode = mode;
        this.keys = keys;
        this.tokens = tokens;
        this.bootstrapHash = config.auth().bootstrapAdminKey().filter(k -> !k.isBlank()).map(ApiKeys::hash).orElse(null);
    }

    public boolean enabled() {
        return mode.enabled();
    }

    /**
     * The caller, when it can be told without blocking (no credentials, the bootstrap key, a key or token seen
     * lately); null when {@link #authenticate} must look it up on a worker thread.
     */
    public Caller cached(String credential) {
        if (!mode.enabled()) {
            return Caller.OPEN;
        }
        if (credential == null) {
            return Caller.NOBODY;
        }
        if (isBootstrap(credential)) {
            return bootstrap();
        }
        Optional<Caller> hit = credential.startsWith(ApiKeys.PREFIX) ? keys.cached(credential) : tokens.cached(credential);
        if (hit == null) {
            return null;
        }
        return hit.orElseThrow(Authenticator::refused);
    }

    /** The caller; throws UNAUTHENTICATED for credentials that are unknown, revoked, expired or not valid. Blocks. */
    public Caller authenticate(String credential) {
        Caller cached = cached(credential);
        if (cached != null) {
            return cached;
        }
        Optional<Caller> caller = credential.startsWith(ApiKeys.PREFIX) ? keys.authenticate(credential) : tokens.verify(credential);
        return caller.orElseThrow(Authenticator::refused);
    }

    private static UnauthenticatedException refused() {
        return new UnauthenticatedException("the credentials are not valid (unknown, revoked or expired API key, or a token "
                + "that fails its signature, issuer, audience or expiry check, or names no role)");
    }

    private boolean isBootstrap(String credential) {
        return bootstrapHash != null && MessageDigest.isEqual(bootstrapHash, ApiKeys.hash(credential));
    }

    private static Caller bootstrap() {
        return new Caller("bootstrap", Role.ADMIN, QueueGrants.ALL, null, false);
    }

    /** The credential in an {@code Authorization: Bearer} or {@code X-Api-Key} value, or null. */
    public static String credentialOf(String authorization, String apiKey) {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).trim();
            return value.isEmpty() ? null : value;
        }
        return null;
    }
}
