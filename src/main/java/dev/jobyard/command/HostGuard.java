package dev.jobyard.command;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where {@code http} and {@code download} may go: hosts on {@code jobyard.commands.http.allowed-hosts}
 * when it is set, and never to a loopback, private, link-local or cloud-metadata address (see
 * {@link Networks}) unless its network is on {@code jobyard.commands.http.allowed-networks}. A URL
 * whose host is such an address literally is refused at creation; a host name is resolved right before
 * the request and refused if any of its addresses is. The JVM's DNS cache then gives the HTTP client the
 * addresses that were checked.
 */
@ApplicationScoped
public class HostGuard {

    public static final String KEY = "jobyard.commands.http.allowed-hosts";
    public static final String NETWORKS_KEY = "jobyard.commands.http.allowed-networks";

    private final List<String> allowed;
    private final List<Networks.Block> allowedNetworks;

    HostGuard(CommandsConfig config) {
        this.allowed = config.http().allowedHosts().orElse(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        List<Networks.Block> networks = new ArrayList<>();
        for (String cidr : config.http().allowedNetworks().orElse(List.of())) {
            try {
                networks.add(Networks.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(NETWORKS_KEY + ": " + e.getMessage(), e);
            }
        }
        this.allowedNetworks = List.copyOf(networks);
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
        InetAddress literal = Networks.literal(uri.getHost());
        if (literal != null && !permitted(literal)) {
            throw Payload.bad(field, refusal(uri.getHost(), literal));
        }
        return uri;
    }

    /**
     * Resolves the URL's host right before a request and refuses it, naming the setting, if any address it
     * resolves to is refused.
     */
    public void checkResolved(String field, URI uri) throws UnknownHostException {
        for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
            if (!permitted(address)) {
                throw Payload.bad(field, refusal(uri.getHost(), address));
            }
        }
    }

    private boolean permitted(InetAddress address) {
        if (!Networks.refused(address)) {
            return true;
        }
        for (InetAddress a : Networks.withEmbedded(address)) {
            for (Networks.Block block : allowedNetworks) {
                if (block.contains(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String refusal(String host, InetAddress address) {
        return "host '" + host + "' is " + address.getHostAddress() + ", a loopback, private, link-local or metadata address;"
                + " an operator allows its network with " + NETWORKS_KEY;
    }
}
