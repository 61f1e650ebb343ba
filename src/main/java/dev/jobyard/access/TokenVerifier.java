package dev.jobyard.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.jobyard.config.JobyardConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Checks bearer JWTs from an OpenID Connect provider with SmallRye JWT: signature against the provider's JWKS
 * ({@code jobyard.auth.jwks-url}, refreshed by the parser, and at once for an unknown key id), {@code iss},
 * {@code exp} and, when set, {@code aud}. The role is the highest of {@code viewer}, {@code operator} and
 * {@code admin} in the roles claim. A checked token is remembered until it expires (at most a minute), so
 * that a client sending the same token again costs a map lookup, not a signature check.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final long REMEMBER_NANOS = 60_000_000_000L;
    private static final int MAX_REMEMBERED = 10_000;

    private final JobyardConfig.Auth config;
    private final DefaultJWTParser parser;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Caller caller, long at) {
    }

    TokenVerifier(JobyardConfig config) {
        this.config = config.auth();
        if (this.config.jwksUrl().isPresent() && this.config.issuer().isPresent()) {
            JWTAuthContextInfo info = new JWTAuthContextInfo(this.config.jwksUrl().get(), this.config.issuer().get());
            this.config.audience().ifPresent(a -> info.setExpectedAudience(Set.of(a)));
            // Refresh the keys every 10 minutes, and at most once a minute for a key id not seen yet (key rotation).
            info.setJwksRefreshInterval(10);
            info.setForcedJwksRefreshInterval(1);
            this.parser = new DefaultJWTParser(info);
        } else {
            this.parser = null;
        }
    }

    /** Whether tokens are accepted at all: {@code jobyard.auth.issuer} and {@code jobyard.auth.jwks-url} are set. */
    public boolean configured() {
        return parser != null;
    }

    /** The remembered caller of a token, or null when it must be checked (which may fetch keys and block). */
    public Optional<Caller> cached(String token) {
        Remembered hit = remembered.get(token);
        if (hit == null || System.nanoTime() - hit.at() > REMEMBER_NANOS) {
            return null;
        }
        return hit.caller().expired(Instant.now()) ? Optional.empty() : Optional.of(hit.caller());
    }

    /** The caller a token names; empty when it is not valid or names no role. */
    public Optional<Caller> verify(String token) {
        Optional<Caller> cached = cached(token);
        if (cached != null) {
            return cached;
        }
        if (parser == null) {
            return Optional.empty();
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            return Optional.empty();
        }
        Role role = null;
        for (String name : strings(claim(jwt, config.rolesClaim()))) {
            Role named = Role.named(name).orElse(null);
            if (named != null && (role == null || named.includes(role))) {
                role = named;
            }
        }
        if (role == null) {
            return Optional.empty();
        }
        Object queues = claim(jwt, config.queuesClaim());
        Caller caller = new Caller(jwt.getSubject() == null ? jwt.getName() : jwt.getSubject(), role,
                queues == null ? QueueGrants.ALL : QueueGrants.of(strings(queues)),
                jwt.getExpirationTime() > 0 ? Instant.ofEpochSecond(jwt.getExpirationTime()) : null, false);
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(token, new Remembered(caller, System.nanoTime()));
        return Optional.of(caller);
    }

    /** The value at a dotted path: the first segment is a claim, the rest walk into JSON objects. */
    static Object claim(JsonWebToken jwt, String path) {
        String[] parts = path.split("\\.");
        Object value = jwt.getClaim(parts[0]);
        for (int i = 1; i < parts.length && value != null; i++) {
            if (value instanceof JsonObject object) {
                value = object.get(parts[i]);
            } else if (value instanceof Map<?, ?> map) {
                value = map.get(parts[i]);
            } else {
                return null;
            }
        }
        return value;
    }

    /** A claim's strings: a JSON array, a set, or one string (separated by commas or spaces). */
    static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonString s) {
                    result.add(s.getString());
                }
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                result.addAll(strings(item));
            }
        } else if (value instanceof JsonString s) {
            result.addAll(split(s.getString()));
        } else if (value instanceof String s) {
            result.addAll(split(s));
        }
        return result;
    }

    private static List<String> split(String text) {
        return java.util.Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }
}
