package dev.jobyard.flow.run;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobyard.common.JobyardException;
import dev.jobyard.job.JobService;

/**
 * Cancels, after the fact, the jobs of an ended run that another transaction held while the run ended (a
 * claim, a lease renewal, a completion): it holds no run lock, so it may wait for them. A job that ended
 * meanwhile needs nothing; one that a claim took is asked to stop.
 */
@ApplicationScoped
public class OrphanSweeper {

    private static final Logger LOG = Logger.getLogger(OrphanSweeper.class);

    private final JobService jobs;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "flow-orphan-sweeper");
        t.setDaemon(true);
        return t;
    });

    OrphanSweeper(JobService jobs) {
        this.jobs = jobs;
    }

    void sweep(List<Long> jobIds, String why) {
        executor.execute(() -> {
            for (long id : jobIds) {
                try {
                    jobs.cancel(String.valueOf(id), why);
                } catch (JobyardException finished) {
                    // Ended meanwhile (completed, failed): its late result changes nothing in the ended run.
                } catch (RuntimeException e) {
                    LOG.warnf("Could not cancel job %d of an ended flow run (%s); it runs to its end and its result is ignored",
                            id, e.getMessage());
                }
            }
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }
}
