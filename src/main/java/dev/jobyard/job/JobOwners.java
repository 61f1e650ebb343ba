package dev.jobyard.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.jobyard.database.Sql;

/**
 * Hands the ends of owned jobs to their {@link JobOwner}s, in the transaction that archived them. Ordinary jobs
 * (no owner) cost one field check each: this runs on the completer's path.
 */
@ApplicationScoped
public class JobOwners {

    // A workflow's reaction may end further owned jobs (a failed flow cancels its other tasks); bounded, so a
    // cycle between owners cannot hold the transaction forever.
    private static final int MAX_ROUNDS = 16;

    private final Map<String, JobOwner> byName = new HashMap<>();

    JobOwners(Instance<JobOwner> owners) {
        for (JobOwner owner : owners) {
            if (byName.put(owner.name(), owner) != null) {
                throw new IllegalStateException("two job owners are named " + owner.name());
            }
        }
    }

    /**
     * Which result writer a claimed job's results go to: the key its owner gives (a flow run's id for its tasks,
     * see {@link JobOwner#writerKey}), or null for a job that no owner keys (a plain job).
     */
    public Long writerKey(ClaimedJob job) {
        // Asked for every claimed job: the claim reports an owned job as one with dependents, so the others,
        // most jobs, cost one field check.
        if (!job.hasDependents()) {
            return null;
        }
        for (JobOwner owner : byName.values()) {
            Long key = owner.writerKey(job);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    /**
     * Tells the owners of the jobs that {@code changes} ended; returns the further changes they made (not
     * including {@code changes} themselves), for the caller to count and announce with its own.
     */
    public List<JobChange> ended(Sql.Tx tx, List<JobChange> changes) {
        List<JobChange> further = new ArrayList<>();
        List<JobChange> round = changes;
        for (int i = 0; i < MAX_ROUNDS && !round.isEmpty(); i++) {
            Map<String, List<JobChange>> owned = owned(round);
            if (owned.isEmpty()) {
                break;
            }
            List<JobChange> next = new ArrayList<>();
            for (var entry : owned.entrySet()) {
                JobOwner owner = byName.get(entry.getKey());
                if (owner == null) {
                    // Left by a version that had this workflow: nothing here can move it on.
                    continue;
                }
                next.addAll(owner.ended(tx, entry.getValue()));
            }
            further.addAll(next);
            round = next;
        }
        return further;
    }

    private static Map<String, List<JobChange>> owned(List<JobChange> changes) {
        Map<String, List<JobChange>> owned = null;
        for (JobChange change : changes) {
            if (change.owner() != null && change.status().isFinal()) {
                if (owned == null) {
                    owned = new LinkedHashMap<>();
                }
                owned.computeIfAbsent(change.owner(), k -> new ArrayList<>()).add(change);
            }
        }
        return owned == null ? Map.of() : owned;
    }
}
