package dev.jobyard.engine;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.jobyard.config.JobyardConfig;
import dev.jobyard.database.Sql;
import dev.jobyard.event.EventPublisher;
import dev.jobyard.job.Fence;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobOwners;
import dev.jobyard.job.JobStatus;
import dev.jobyard.job.JobStore;
import dev.jobyard.observability.JobMetrics;
import dev.jobyard.observability.ResultMetrics;

/**
 * Writes how attempts ended, many in one transaction: successes archived in one statement with their
 * dependents released; failures retried with backoff or archived as FAILED; cancellations archived;
 * hand-backs returned to PENDING; hang-ups parked (PENDING later, or WAITING) without counting the attempt; every end cascades to dependents. An outcome whose fence no longer
 * holds (the lease was lost) is rejected and counted, never applied.
 */
@ApplicationScoped
public class OutcomeWriter {

    private static final Logger LOG = Logger.getLogger(OutcomeWriter.class);

    private final JobStore store;
    private final EventPublisher events;
    private final Backoff backoff;
    private final AttemptOutputs outputs;
    @Inject
    JobMetrics metrics;
    @Inject
    ResultMetrics results;
    @Inject
    JobOwners owners;

    OutcomeWriter(JobStore store, EventPublisher events, JobyardConfig config, AttemptOutputs outputs) {
        this.store = store;
        this.events = events;
        this.outputs = outputs;
        this.backoff = new Backoff(config.retry().baseDelay(), config.retry().maxDelay());
    }

    /** What a write did: how many outcomes were applied and how many were rejected by their fence. */
    public record Written(int applied, int rejected) {
    }

    public Written write(Sql.Tx tx, List<Outcome> outcomes) {
        List<JobChange> changes = new ArrayList<>();
        // Announced by complete() itself, so kept apart from changes; their owners still hear of them.
        List<JobChange> completedAll = new ArrayList<>();
        int rejected = 0;

        Map<String, List<JobStore.Completion>> successesByWorker = outcomes.stream()
                .filter(o -> o instanceof Outcome.Succeeded)
                .map(o -> new JobStore.Completion(o.fence(), ((Outcome.Succeeded) o).result()))
                .collect(Collectors.groupingBy(c -> c.fence().worker()));
        for (var entry : successesByWorker.entrySet()) {
            // complete() announces its own COMPLETED events; the rest are published below.
            List<JobChange> completed = store.complete(tx, entry.getKey(), entry.getValue());
            metrics.changed(tx, completed);
            rejected += entry.getValue().size() - completed.size();
            completedAll.addAll(completed);
            changes.addAll(store.releaseDependents(tx, completed.stream().map(JobChange::id).toList()));
        }

        List<JobChange> ended = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Optional<JobChange> change;
            if (outcome instanceof Outcome.Failed f) {
                change = f.fence().attempt() < f.maxAttempts()
                        ? store.retry(tx, f.fence(), backoff.delayMillis(f.fence().attempt()), f.error())
                        : store.finishRunning(tx, f.fence(), JobStatus.FAILED, f.error());
            } else if (outcome instanceof Outcome.Cancelled c) {
                change = store.finishRunning(tx, c.fence(), JobStatus.CANCELLED, c.reason());
            } else if (outcome instanceof Outcome.HandedBack h) {
                change = store.handBack(tx, h.fence());
            } else if (outcome instanceof Outcome.HungUp u) {
                change = store.hangUp(tx, u.fence(), u.hangUp().status(), u.hangUp().delayMillis());
                if (change.isPresent()) {
                    // The row is parked and locked by this transaction: the wait is recorded with it or not at all.
                    changes.addAll(u.hangUp().then().write(tx, u.fence()));
                }
            } else {
                continue;
            }
            if (change.isEmpty() && !(outcome instanceof Outcome.Cancelled)) {
                // Retry, hand-back and hang-up do not apply to a job someone asked to cancel meanwhile.
                change = store.finishCancelRequested(tx, outcome.fence());
            }
            if (change.isEmpty()) {
                rejected++;
                LOG.warnf("Rejected a late result for job %d attempt %d from %s: its lease was lost",
                        outcome.fence().jobId(), outcome.fence().attempt(), outcome.fence().worker());
                continue;
            }
            changes.add(change.get());
            outputs.write(tx, outcome);
            if (change.get().status().isFinal()) {
                ended.add(change.get());
            }
        }
        changes.addAll(store.cancelDependents(tx, ended));
        List<JobChange> endings = new ArrayList<>(completedAll.size() + changes.size());
        endings.addAll(completedAll);
        endings.addAll(changes);
        changes.addAll(owners.ended(tx, endings));

        metrics.changed(tx, changes);
        OffsetDateTime now = OffsetDateTime.now();
        events.jobEvents(tx, changes.stream().map(c -> c.toEvent(now)).toList());
        return new Written(outcomes.size() - rejected, rejected);
    }

    /**
     * Ends the attempt of an outcome that PostgreSQL refused to store, without the text it refused: as a
     * failure saying {@code why} (retried while attempts remain), or a cancellation for a cancelled one.
     */
    public Written writeUnstorable(Sql.Tx tx, Outcome refused, String why) {
        Fence fence = refused.fence();
        Outcome instead;
        if (refused instanceof Outcome.Failed f) {
            instead = new Outcome.Failed(fence, f.maxAttempts(), why);
        } else if (refused instanceof Outcome.Cancelled) {
            instead = new Outcome.Cancelled(fence, why);
        } else if (refused instanceof Outcome.Succeeded || refused instanceof Outcome.HungUp) {
            // A hang-up's own writes (a child's payload, say) were refused: the attempt fails instead of parking.
            instead = new Outcome.Failed(fence, store.maxAttempts(tx, fence.jobId()).orElse(fence.attempt()), why);
        } else {
            instead = refused; // a hand-back holds no text
        }
        tx.afterCommit(results::unstorable);
        return write(tx, List.of(instead));
    }

    /** Counts in {@code jobyard_results_overdue} what {@code overdue} says. */
    void trackOverdue(java.util.function.IntSupplier overdue) {
        results.overdueFrom(overdue);
    }
}
