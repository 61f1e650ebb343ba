package dev.jobyard.api.guard;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Which browser origins may open the GraphQL WebSocket: the service's own origin, and those listed in
 * {@code quarkus.http.cors.origins} (the same list that lets their pages POST). A WebSocket upgrade is not
 * subject to CORS, so without this check any page a user visits could read and write through the socket.
 */
final class OriginPolicy {

    private final List<String> allowed;

    OriginPolicy(List<String> allowed) {
        this.allowed = allowed.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty()).toList();
    }

    static OriginPolicy fromConfig() {
        Optional<List<String>> origins = ConfigProvider.getConfig().getOptionalValues("quarkus.http.cors.origins", String.class);
        return new OriginPolicy(origins.orElse(List.of()));
    }

    /**
     * Whether a request with this {@code Origin} (null when absent: not a browser) for this {@code Host} may
     * proceed.
     */
    boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (allowed.contains("*") || allowed.contains(o)) {
            return true;
        }
        try {
            URI uri = URI.create(o);
            if (uri.getHost() == null || host == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) || "wss".equals(uri.getScheme()) ? 443 : 80;
            return sameAuthority(uri.getHost(), port, host.trim().toLowerCase(Locale.ROOT), "https".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean sameAuthority(String originHost, int originPort, String hostHeader, boolean secure) {
        String host = hostHeader;
        int port = secure ? 443 : 80;
        int colon = hostHeader.lastIndexOf(':');
        if (colon > 0 && hostHeader.indexOf(']') < colon) {
            host = hostHeader.substring(0, colon);
            try {
                port = Integer.parseInt(hostHeader.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return host.equals(originHost) && port == originPort;
    }
}
