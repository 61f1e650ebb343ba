package dev.jobyard.command;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.json.JsonObject;

/**
 * Secrets in payloads. A sensitive value (an HTTP {@code Authorization} header, a password) is written
 * as a reference, {@code {"secret": "name"}}, and resolved from {@code jobyard.secrets.name} only on
 * the worker thread that uses it, so the payload, history, logs and results hold the name, never the
 * value. A sensitive value given inline is refused at creation.
 */
@ApplicationScoped
public class Secrets {

    public static final String PREFIX = "jobyard.secrets.";
    public static final String MASK = "[secret]";

    /** Header names whose values are credentials. */
    private static final Set<String> SENSITIVE_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-api-key", "api-key", "x-auth-token");

    private final SecretsConfig config;

    Secrets(SecretsConfig config) {
        this.config = config;
    }

    public static boolean isSensitiveHeader(String name) {
        return SENSITIVE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Checks a value that may be a reference; an inline value of a sensitive field is refused. */
    public void validate(String field, Object value, boolean sensitive) {
        if (value instanceof JsonObject ref) {
            String name = ref.getValue("secret") instanceof String s ? s : null;
            if (name == null || ref.size() != 1) {
                throw Payload.bad(field, "a secret reference is {\"secret\": \"<name>\"}, got " + ref.fieldNames());
            }
            if (!config.values().containsKey(name)) {
                throw Payload.bad(field, "no secret '" + name + "' is configured (" + PREFIX + name + ")");
            }
        } else if (!(value instanceof String)) {
            throw Payload.bad(field, "must be a string or {\"secret\": \"<name>\"}");
        } else if (sensitive) {
            throw Payload.bad(field, "is a credential and must not be written in the payload, where queries and history"
                    + " would show it; give {\"secret\": \"<name>\"} and set " + PREFIX + "<name>");
        }
    }

    /**
     * Masks the values of the secret references among {@code values} in text a command captured, so a
     * program that prints its environment or a server that echoes a header does not put them in history.
     */
    public UnaryOperator<String> masker(Collection<?> values) {
        List<String> secrets = values.stream().filter(JsonObject.class::isInstance).map(this::resolve)
                .filter(v -> !v.isEmpty()).toList();
        return text -> {
            String masked = text;
            for (String secret : secrets) {
                masked = masked.replace(secret, MASK);
            }
            return masked;
        };
    }

    /** The value to use: a reference resolved from configuration, or the inline string. */
    public String resolve(Object value) {
        if (value instanceof JsonObject ref) {
            String name = ref.getString("secret");
            String secret = config.values().get(name);
            if (secret == null) {
                throw new IllegalStateException("secret '" + name + "' is no longer configured (" + PREFIX + name + ")");
            }
            return secret;
        }
        return (String) value;
    }
}
