package dev.jobyard.event;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/** Fans job events, once confirmed against the table, out to every subscription on this replica. */
@ApplicationScoped
public class EventBus {

    private final BroadcastProcessor<JobEvent> jobEvents = BroadcastProcessor.create();
    private final AtomicInteger watchers = new AtomicInteger();

    void onJobsConfirmed(@Observes Signals.JobsConfirmed changed) {
        for (JobEvent event : changed.events()) {
            jobEvents.onNext(event);
        }
    }

    /** A hot stream: a subscriber sees the events committed after it subscribed, in commit order. */
    public Multi<JobEvent> jobEvents() {
        return jobEvents
                .onSubscription().invoke(watchers::incrementAndGet)
                .onTermination().invoke(watchers::decrementAndGet);
    }

    /** Whether any subscription on this replica listens to job events (else watch-only events are dropped). */
    public boolean hasWatchers() {
        return watchers.get() > 0;
    }
}
