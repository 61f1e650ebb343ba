package dev.jobyard.durable.wake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.database.Sql;
import dev.jobyard.durable.store.StepStore;
import dev.jobyard.durable.store.Wait;
import dev.jobyard.job.JobChange;
import dev.jobyard.job.JobStore;

/** Saves what resolved each taken wait under its key and makes the waiting jobs runnable, in the caller's transaction. */
@ApplicationScoped
public class Wakes {

    private final StepStore steps;
    private final JobStore jobs;

    Wakes(StepStore steps, JobStore jobs) {
        this.steps = steps;
        this.jobs = jobs;
    }

    /** {@code result} gives each wait's saved result (JSON text). Returns the jobs woken. */
    public List<JobChange> resolve(Sql.Tx tx, List<Wait> taken, Function<Wait, String> result) {
        if (taken.isEmpty()) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (Wait w : taken) {
            ids.add(w.jobId());
            keys.add(w.key());
            types.add(w.type());
            results.add(result.apply(w));
        }
        steps.saveAll(tx, ids, keys, types, results);
        return jobs.wake(tx, ids);
    }

    /** Saves each taken wait as timed out; its primitive throws DurableTimeoutException on replay. */
    public List<JobChange> timeOut(Sql.Tx tx, List<Wait> taken) {
        if (taken.isEmpty()) {
            return List.of();
        }
        List<Long> ids = taken.stream().map(Wait::jobId).toList();
        steps.saveTimeouts(tx, ids, taken.stream().map(Wait::key).toList(), taken.stream().map(Wait::type).toList());
        return jobs.wake(tx, ids);
    }
}
