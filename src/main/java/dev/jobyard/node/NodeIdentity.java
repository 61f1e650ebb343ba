package dev.jobyard.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.config.JobyardConfig;

/** Who this replica is: the name it writes into leases, history and the worker registry. */
@ApplicationScoped
public class NodeIdentity {

    private final String id;
    private final String host;
    private final OffsetDateTime startedAt = OffsetDateTime.now();

    NodeIdentity(JobyardConfig config) {
        this.host = hostName();
        this.id = config.nodeId().filter(s -> !s.isBlank())
                .orElse(host + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    public OffsetDateTime startedAt() {
        return startedAt;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
