package dev.jobyard.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/** Fans job events out to every subscription on this replica. */
@ApplicationScoped
public class EventBus {

    private final BroadcastProcessor<JobEvent> jobEvents = BroadcastProcessor.create();

    void onJobsChanged(@Observes Signals.JobsChanged changed) {
        for (JobEvent event : changed.events()) {
            jobEvents.onNext(event);
        }
    }

    /** A hot stream: a subscriber sees the events committed after it subscribed, in commit order. */
    public Multi<JobEvent> jobEvents() {
        return jobEvents;
    }
}
