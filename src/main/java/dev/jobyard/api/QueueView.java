package dev.jobyard.api;

import java.util.function.Supplier;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;

import dev.jobyard.queue.QueueService;

/**
 * A queue. The counts are read only when a query selects one: pausing and resuming answer at once,
 * however much history the queue has.
 */
@Name("Queue")
public final class QueueView {

    private final String name;
    private final int concurrency;
    private final boolean paused;
    private final Supplier<QueueService.QueueInfo> counts;
    private QueueService.QueueInfo loaded;

    private QueueView(String name, int concurrency, boolean paused, Supplier<QueueService.QueueInfo> counts) {
        this.name = name;
        this.concurrency = concurrency;
        this.paused = paused;
        this.counts = counts;
    }

    /** A queue whose counts are known already (the list of all queues reads them in one query). */
    static QueueView of(QueueService.QueueInfo info) {
        return new QueueView(info.name(), info.concurrency(), info.paused(), () -> info);
    }

    /** A queue whose counts are read on first use. */
    static QueueView of(QueueService.QueueState state, Supplier<QueueService.QueueInfo> counts) {
        return new QueueView(state.name(), state.concurrency(), state.paused(), counts);
    }

    public String getName() {
        return name;
    }

    @Description("Workers per replica.")
    public int getConcurrency() {
        return concurrency;
    }

    public boolean isPaused() {
        return paused;
    }

    public int getPending() {
        return Views.count(counts().pending());
    }

    public int getRunning() {
        return Views.count(counts().running());
    }

    public int getCompleted() {
        return Views.count(counts().completed());
    }

    public int getFailed() {
        return Views.count(counts().failed());
    }

    public int getCancelled() {
        return Views.count(counts().cancelled());
    }

    private synchronized QueueService.QueueInfo counts() {
        if (loaded == null) {
            loaded = counts.get();
        }
        return loaded;
    }
}
