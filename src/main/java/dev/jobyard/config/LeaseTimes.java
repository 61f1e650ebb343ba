package dev.jobyard.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The arithmetic of a job's lease, in one place. From the last renewal a worker knows succeeded (counted
 * from just before the statement was sent, so never later than the database's {@code now()} that set the
 * expiry):
 *
 * <pre>
 *   0 ........ interrupt ......... abandon ......... deadline ......... expiry
 *              lease - 2 margin    lease - 1.5 m.    lease - margin     lease   (the rescuer may act after it)
 * </pre>
 *
 * The handler is interrupted at {@link #interruptAfter()} and abandoned (its outcome dropped, its entry
 * gone) at {@link #abandonAfter()}, which the lease checker, running every {@link #checkInterval()}, reaches
 * before the deadline; the database lets the rescuer take the job one margin after that deadline. Leases
 * are renewed every {@link #renewInterval()}, so a few renewals can fail before anything is interrupted.
 */
public record LeaseTimes(Duration lease, Duration margin, Duration statementTimeout, Duration renewInterval) {

    public LeaseTimes {
        if (margin.isNegative() || margin.isZero() || margin.multipliedBy(2).compareTo(lease) >= 0) {
            throw new IllegalArgumentException("jobyard.lease-margin (" + margin + ") must be above 0 and below half of "
                    + "jobyard.lease-timeout (" + lease + ")");
        }
        if (statementTimeout.isNegative() || statementTimeout.isZero()
                || statementTimeout.compareTo(lease.minus(margin.multipliedBy(2))) >= 0) {
            throw new IllegalArgumentException("jobyard.statement-timeout (" + statementTimeout + ") must be above 0 and "
                    + "below jobyard.lease-timeout - 2 x jobyard.lease-margin (" + lease.minus(margin.multipliedBy(2)) + ")");
        }
    }

    public static LeaseTimes of(JobyardConfig config) {
        return of(config.leaseTimeout(), config.leaseMargin(), config.statementTimeout(), config.heartbeatInterval());
    }

    /** The times of a lease; an unset margin is a sixth of it, an unset statement timeout ¾ of the interrupt point. */
    public static LeaseTimes of(Duration lease, Optional<Duration> margin, Optional<Duration> statementTimeout,
            Duration heartbeat) {
        Duration m = margin.orElse(lease.dividedBy(6));
        Duration interrupt = lease.minus(m.multipliedBy(2));
        Duration renew = max(min(heartbeat, interrupt.dividedBy(3)), Duration.ofMillis(100));
        return new LeaseTimes(lease, m, statementTimeout.orElse(interrupt.multipliedBy(3).dividedBy(4)), renew);
    }

    /** When a handler whose lease was not renewed is interrupted. */
    public Duration interruptAfter() {
        return lease.minus(margin.multipliedBy(2));
    }

    /** When such a handler is abandoned, if it has not returned: its outcome is dropped. */
    public Duration abandonAfter() {
        return lease.minus(margin.multipliedBy(3).dividedBy(2));
    }

    /** What the worker promises: nothing of the attempt runs on its behalf after this. */
    public Duration deadline() {
        return lease.minus(margin);
    }

    /** How often running leases are checked against these times: four times a margin, so the abandon is on time. */
    public Duration checkInterval() {
        return min(max(margin.dividedBy(4), Duration.ofMillis(20)), Duration.ofSeconds(1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
