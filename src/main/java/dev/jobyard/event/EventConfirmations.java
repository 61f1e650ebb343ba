package dev.jobyard.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import dev.jobyard.node.NodeIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks what NOTIFY said against the tables before anything acts on it. Any role that can connect may
 * send a NOTIFY on Jobyard's channels, so a message is only a hint: a cancel stops a job only if the
 * job's row asks for it (with the reason stored there), and a job event reaches subscribers only if the
 * job exists in a state that agrees with it (its kind, error and schedule are then read from the row).
 * <p>
 * Checks run on one thread of their own, off the event loop, in the order messages arrived. All that
 * arrived while the previous check ran are checked together in one statement, so a burst of events
 * costs a few statements, not one per event. Job events are checked only while someone would see them
 * (a {@code jobEvents} subscriber on this replica, or the end of a scheduled job for schedule events);
 * worker wake-ups need no check, since a claim reads the table anyway.
 */
@ApplicationScoped
public class EventConfirmations {

    private static final Logger LOG = Logger.getLogger(EventConfirmations.class);

    private final JobTable table;
    private final NodeIdentity node;
    private final EventBus bus;
    private final Event<Signals.JobsConfirmed> confirmed;
    private final Event<Signals.CancelRequested> cancels;
    // Lists of heard job events, heard cancel ids (Long) and other messages to hand on (Runnable), in arrival order.
    private final ConcurrentLinkedQueue<Object> heard = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jobyard-event-checks");
        t.setDaemon(true);
        return t;
    });

    EventConfirmations(JobTable table, NodeIdentity node, EventBus bus, Event<Signals.JobsConfirmed> confirmed,
            Event<Signals.CancelRequested> cancels) {
        this.table = table;
        this.node = node;
        this.bus = bus;
        this.confirmed = confirmed;
        this.cancels = cancels;
    }

    /** Job events heard over NOTIFY; those the table confirms are fired as {@link Signals.JobsConfirmed}. */
    void jobs(List<JobEvent> events) {
        if (bus.hasWatchers() || events.stream().anyMatch(EventConfirmations::endsScheduledJob)) {
            heard.add(events);
            drainSoon();
        }
    }

    /** A cancel heard over NOTIFY; fired as {@link Signals.CancelRequested} if this replica runs the job and its row asks for it. */
    void cancel(long jobId) {
        heard.add(jobId);
        drainSoon();
    }

    /**
     * Hands on another message on the same thread, after what arrived before it: subscriber streams then
     * get everything from one thread, in the order it was heard.
     */
    void inOrder(Runnable handOn) {
        heard.add(handOn);
        drainSoon();
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    private static boolean endsScheduledJob(JobEvent event) {
        return event.scheduleId() != null && isFinal(event.status());
    }

    private void drainSoon() {
        if (draining.compareAndSet(false, true)) {
            thread.execute(this::drain);
        }
    }

    @SuppressWarnings("unchecked")
    private void drain() {
        draining.set(false);
        List<Object> batch = new ArrayList<>();
        for (Object next; (next = heard.poll()) != null;) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        Set<Long> jobIds = new LinkedHashSet<>();
        Set<Long> cancelIds = new LinkedHashSet<>();
        for (Object item : batch) {
            if (item instanceof Long id) {
                cancelIds.add(id);
            } else if (item instanceof List<?>) {
                ((List<JobEvent>) item).forEach(e -> jobIds.add(e.jobId()));
            }
        }
        Map<Long, JobTable.JobState> rows = new HashMap<>();
        Map<Long, String> cancelReasons = Map.of();
        try {
            if (!jobIds.isEmpty()) {
                table.rows(jobIds).forEach(r -> rows.put(r.id(), r));
            }
            if (!cancelIds.isEmpty()) {
                cancelReasons = table.cancelsRequested(cancelIds, node.id());
            }
        } catch (RuntimeException e) {
            // Cancels still reach the job through lease renewal, which reads the same column.
            LOG.warnf("Could not check %d notifications against the job table (%s); subscribers miss their events",
                    batch.size(), e.getMessage());
            batch.removeIf(item -> !(item instanceof Runnable));
            cancelReasons = Map.of();
        }
        for (Object item : batch) {
            try {
                if (item instanceof Long id) {
                    String reason = cancelReasons.get(id);
                    if (reason != null) {
                        cancels.fire(new Signals.CancelRequested(id, reason));
                    }
                } else if (item instanceof Runnable handOn) {
                    handOn.run();
                } else {
                    List<JobEvent> confirmedEvents = confirm((List<JobEvent>) item, rows);
                    if (!confirmedEvents.isEmpty()) {
                        confirmed.fire(new Signals.JobsConfirmed(confirmedEvents));
                    }
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not hand on a notification");
            }
        }
    }

    /**
     * The events that agree with the rows, as the rows tell them. An event agrees when its job exists in
     * its queue and the event is a state the job has been in: a final status only if the job ended so in
     * that attempt; RUNNING, PENDING or WAITING only for an attempt it has reached. An event of a state the job has
     * left since is still shown: subscribers see every change, late rather than never.
     */
    static List<JobEvent> confirm(List<JobEvent> heard, Map<Long, JobTable.JobState> rows) {
        List<JobEvent> confirmedEvents = new ArrayList<>(heard.size());
        for (JobEvent event : heard) {
            JobTable.JobState row = rows.get(event.jobId());
            if (row == null || !row.queue().equals(event.queue()) || event.status() == null) {
                continue;
            }
            boolean agrees;
            String error = null;
            if (isFinal(event.status())) {
                agrees = event.status().equals(row.status()) && event.attempt() == row.attempt();
                error = row.error();
            } else if ("RUNNING".equals(event.status())) {
                agrees = event.attempt() >= 1 && event.attempt() <= row.attempt();
            } else if ("WAITING".equals(event.status())) {
                // A durable task parked (its hang-up does not count the attempt, as a hand-back does not).
                agrees = event.attempt() <= row.attempt();
            } else if ("PENDING".equals(event.status())) {
                agrees = event.attempt() <= row.attempt();
                if ("RUNNING".equals(event.previousStatus())) {
                    error = errorOf(row.errors(), event.attempt());
                }
            } else {
                agrees = false;
            }
            if (agrees) {
                confirmedEvents.add(event.confirmed(row.kind(), error, row.scheduleId()));
            }
        }
        return confirmedEvents;
    }

    private static boolean isFinal(String status) {
        return "COMPLETED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status);
    }

    /** The error that attempt {@code attempt} ended with, from a job's stored errors; null if it has none. */
    private static String errorOf(String errors, int attempt) {
        if (errors == null || errors.equals("[]")) {
            return null;
        }
        JsonArray array = new JsonArray(errors);
        for (int i = array.size() - 1; i >= 0; i--) {
            JsonObject entry = array.getJsonObject(i);
            if (entry.getInteger("attempt", -1) == attempt) {
                return entry.getString("error");
            }
        }
        return null;
    }
}
