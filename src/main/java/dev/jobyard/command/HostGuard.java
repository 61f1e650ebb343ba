package dev.jobyard.command;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

/** Limits {@code http} and {@code download} to {@code jobyard.commands.http.allowed-hosts} when it is set. */
@ApplicationScoped
public class HostGuard {

    public static final String KEY = "jobyard.commands.http.allowed-hosts";

    private final List<String> allowed;

    HostGuard(CommandsConfig config) {
        this.allowed = config.http().allowedHosts().orElse(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** The URL, if it is http(s) to an allowed host; else a BAD_USER_INPUT on {@code payload.<field>}. */
    public URI check(String field, String url) {
        if (url == null || url.isBlank()) {
            throw Payload.bad(field, "is required");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Payload.bad(field, "is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw Payload.bad(field, "must be an http:// or https:// URL with a host, got " + url);
        }
        if (!allowed.isEmpty() && !allowed.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw Payload.bad(field, "host '" + uri.getHost() + "' is not allowed; an operator adds it to " + KEY + " " + allowed);
        }
        return uri;
    }
}
