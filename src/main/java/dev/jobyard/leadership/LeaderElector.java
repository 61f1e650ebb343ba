package dev.jobyard.leadership;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.DatabaseBootstrap;
import dev.jobyard.database.DatabaseNotReady;
import dev.jobyard.database.Sql;
import dev.jobyard.node.NodeIdentity;
import dev.jobyard.observability.LeaderMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Leadership as a renewable lease row, not an advisory lock: a frozen leader's lease simply runs out
 * and another replica takes over. A term lasts while one node id holds the lease: only a different node id
 * taking it starts a new term, with the next fencing token and a new acquisition time. The same node id
 * taking its own lapsed lease back (a frozen replica that wakes, a restart with a fixed node id) continues
 * its term. All times are the database's clock, so skewed replica clocks do not matter.
 */
@ApplicationScoped
public class LeaderElector {

    static final String ROLE = "leader";
    private static final Logger LOG = Logger.getLogger(LeaderElector.class);

    // Take the row when it is ours or expired. The token and acquisition time move only when the holder
    // changes: our own lease, lapsed or not, is the same term. No other holder can have come between,
    // since it would have left its node id in the row. new_term: acquired_at was set by this statement.
    private static final String ACQUIRE = """
            INSERT INTO jobyard.leader_lease AS l (name, node_id, token, acquired_at, expires_at)
            VALUES ($1, $2, 1, now(), now() + $3 * interval '1 millisecond')
            ON CONFLICT (name) DO UPDATE
               SET node_id = EXCLUDED.node_id,
                   token = CASE WHEN l.node_id = EXCLUDED.node_id THEN l.token ELSE l.token + 1 END,
                   acquired_at = CASE WHEN l.node_id = EXCLUDED.node_id THEN l.acquired_at ELSE now() END,
                   expires_at = EXCLUDED.expires_at
             WHERE l.node_id = EXCLUDED.node_id OR l.expires_at < now()
            RETURNING token, acquired_at, acquired_at = now() AS new_term""";
    private static final String RELEASE = "UPDATE jobyard.leader_lease SET expires_at = now() WHERE name = $1 AND node_id = $2";
    private static final String CURRENT = "SELECT node_id, token, acquired_at, expires_at > now() AS live FROM jobyard.leader_lease WHERE name = $1";

    private final Sql sql;
    private final NodeIdentity node;
    private final JobyardConfig config;
    @Inject
    LeaderMetrics metrics;
    private volatile Lease lease;
    // When this replica's unbroken leadership began, on its monotonic clock (see leadingFor).
    private volatile long leadingSinceNanos;

    LeaderElector(Sql sql, NodeIdentity node, JobyardConfig config) {
        this.sql = sql;
        this.node = node;
        this.config = config;
    }

    /** A held lease: valid until {@code validUntilNanos} on this JVM's monotonic clock. */
    public record Lease(long token, OffsetDateTime since, long validUntilNanos) {
    }

    public record Leader(String nodeId, long token, OffsetDateTime since) {
    }

    @Scheduled(every = "${jobyard.leader.renew-interval:5s}", delayed = "1s", skipExecutionIf = DatabaseNotReady.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        if (!config.leader().enabled()) {
            return;
        }
        long started = System.nanoTime();
        try {
            RowSet<Row> rows = sql.query(ACQUIRE, Tuple.of(ROLE, node.id(), config.leader().leaseTime().toMillis()));
            if (rows.size() == 1) {
                Row row = rows.iterator().next();
                boolean wasLeading = isLeader();
                Lease before = lease;
                // Count validity from before the statement was sent: never believe a lease longer than it is.
                lease = new Lease(row.getLong("token"), row.getOffsetDateTime("acquired_at"),
                        started + config.leader().leaseTime().toNanos() * 9 / 10);
                if (before == null || before.token() != lease.token() || started >= before.validUntilNanos()) {
                    // Counted from the answer: the rescuer's wait (leadingFor) must not start before the term did.
                    leadingSinceNanos = System.nanoTime();
                }
                if (row.getBoolean("new_term")) {
                    LOG.infof("This replica (%s) is now the leader, fencing token %d", node.id(), lease.token());
                    metrics.acquired();
                } else if (!wasLeading) {
                    LOG.infof("This replica (%s) leads again in its term since %s, fencing token %d (unchanged)",
                            node.id(), lease.since(), lease.token());
                    metrics.leading();
                }
            } else {
                stepDown("another replica holds the lease");
            }
        } catch (RuntimeException e) {
            stepDown("the lease could not be renewed: " + e.getMessage());
        }
    }

    void onStop(@Observes @Priority(DatabaseBootstrap.STARTUP_PRIORITY + 5) ShutdownEvent event) {
        if (lease != null) {
            lease = null;
            try {
                sql.query(RELEASE, Tuple.of(ROLE, node.id()));
                LOG.infof("Released leadership so another replica takes over at once");
            } catch (RuntimeException e) {
                LOG.debug("Could not release leadership; it expires by itself", e);
            }
        }
    }

    /** True while this replica holds an unexpired lease (by its own conservative reckoning). */
    public boolean isLeader() {
        Lease current = lease;
        return current != null && System.nanoTime() < current.validUntilNanos();
    }

    /**
     * How long this replica has led without a break (the database out of reach or another holder ends a
     * stretch), by its own clock; zero when it does not lead. The rescuer waits a job lease of it.
     */
    public java.time.Duration leadingFor() {
        return isLeader() ? java.time.Duration.ofNanos(System.nanoTime() - leadingSinceNanos) : java.time.Duration.ZERO;
    }

    public Optional<Lease> lease() {
        return isLeader() ? Optional.of(lease) : Optional.empty();
    }

    /** The current holder as the database sees it, if the lease is live. */
    public Optional<Leader> currentLeader() {
        RowSet<Row> rows = sql.query(CURRENT, Tuple.of(ROLE));
        for (Row row : rows) {
            if (row.getBoolean("live")) {
                return Optional.of(new Leader(row.getString("node_id"), row.getLong("token"),
                        row.getOffsetDateTime("acquired_at")));
            }
        }
        return Optional.empty();
    }

    private void stepDown(String why) {
        if (lease != null) {
            LOG.warnf("This replica (%s) is no longer the leader: %s", node.id(), why);
        }
        lease = null;
        metrics.notLeader();
    }
}
