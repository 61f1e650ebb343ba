package dev.jobyard.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
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
 * value. A sensitive value given inline is refused at creation. A secret is usable only by the kinds,
 * and for {@code http} only towards the hosts, that {@code jobyard.commands.secrets.<name>} lists: a
 * job cannot send it anywhere else. Masking captured output is the last line of defence, not the first.
 */
@ApplicationScoped
public class Secrets {

    public static final String PREFIX = "jobyard.secrets.";
    public static final String MASK = "[secret]";

    /** Header names whose values are credentials. */
    private static final Set<String> SENSITIVE_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-api-key", "api-key", "x-auth-token");

    public static final String USE_PREFIX = "jobyard.commands.secrets.";

    /** Shorter encoded fragments than this are not masked: they would match ordinary text. */
    private static final int MIN_ENCODED = 8;

    private final SecretsConfig config;
    private final CommandsConfig commands;

    Secrets(SecretsConfig config, CommandsConfig commands) {
        this.config = config;
        this.commands = commands;
    }

    /** Where a reference is used: the job's kind and, for a request, the host it goes to (else null). */
    public record Use(String kind, String host) {
    }

    public static boolean isSensitiveHeader(String name) {
        return SENSITIVE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks a value that may be a reference; an inline value of a sensitive field is refused, and so is a
     * reference to a secret that is not allowed for {@code use}.
     */
    public void validate(String field, Object value, boolean sensitive, Use use) {
        if (value instanceof JsonObject ref) {
            String name = ref.getValue("secret") instanceof String s ? s : null;
            if (name == null || ref.size() != 1) {
                throw Payload.bad(field, "a secret reference is {\"secret\": \"<name>\"}, got " + ref.fieldNames());
            }
            if (!config.values().containsKey(name)) {
                throw Payload.bad(field, "no secret '" + name + "' is configured (" + PREFIX + name + ")");
            }
            checkUse(field, name, use);
        } else if (!(value instanceof String)) {
            throw Payload.bad(field, "must be a string or {\"secret\": \"<name>\"}");
        } else if (sensitive) {
            throw Payload.bad(field, "is a credential and must not be written in the payload, where queries and history"
                    + " would show it; give {\"secret\": \"<name>\"} and set " + PREFIX + "<name>");
        }
    }

    private void checkUse(String field, String name, Use use) {
        CommandsConfig.SecretUse rule = commands.secrets().get(name);
        List<String> kinds = rule == null ? List.of() : rule.kinds().orElse(List.of());
        if (!kinds.contains(use.kind())) {
            throw Payload.bad(field, "secret '" + name + "' may not be used by '" + use.kind() + "' jobs; an operator allows it with "
                    + USE_PREFIX + name + ".kinds " + kinds);
        }
        if (use.host() != null) {
            List<String> hosts = rule.hosts().orElse(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            if (!hosts.contains(use.host().toLowerCase(Locale.ROOT))) {
                throw Payload.bad(field, "secret '" + name + "' may not be sent to host '" + use.host() + "'; an operator allows it with "
                        + USE_PREFIX + name + ".hosts " + hosts);
            }
        }
    }

    /**
     * Masks the values of the secret references among {@code values} in text a command captured, so a
     * program that prints its environment or a server that echoes a header does not put them in history.
     */
    public UnaryOperator<String> masker(Collection<?> values) {
        List<String> secrets = new ArrayList<>();
        values.stream().filter(JsonObject.class::isInstance).map(this::resolve).filter(v -> !v.isEmpty()).forEach(v -> {
            secrets.add(v);
            secrets.addAll(encodings(v));
        });
        // The longest first, so that a value is masked whole before a fragment of its encoding could match.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return text -> {
            String masked = text;
            for (String secret : secrets) {
                masked = masked.replace(secret, MASK);
            }
            return masked;
        };
    }

    /**
     * The secret as base64 (standard and URL-safe) wherever it sits in encoded text: at each of the three
     * byte alignments, the part of the encoding that depends on the secret alone.
     */
    static List<String> encodings(String secret) {
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        List<String> encoded = new ArrayList<>();
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + raw.length];
            System.arraycopy(raw, 0, shifted, shift, raw.length);
            String text = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // Characters that also encode the filler bytes in front, or the unknown bytes after, are not the secret's own.
            int start = shift == 0 ? 0 : 4;
            int end = shifted.length / 3 * 4;
            if (end - start >= MIN_ENCODED) {
                String core = text.substring(start, end);
                encoded.add(core);
                String urlSafe = core.replace('+', '-').replace('/', '_');
                if (!urlSafe.equals(core)) {
                    encoded.add(urlSafe);
                }
            }
        }
        return encoded;
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
