package dev.jobyard.event;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the event confirmations read of the job tables, in one statement per call (implemented by
 * {@code JobStore}, which holds the SQL of those tables).
 */
public interface JobTable {

    /**
     * A job as stored now, active or archived.
     *
     * @param errors the errors of its failed attempts, as stored (a JSON array of {attempt, error, at})
     */
    record JobState(long id, String queue, String kind, String status, int attempt, String error, String errors,
            Long scheduleId) {
    }

    /** The jobs with these ids that exist, active or archived. */
    List<JobState> rows(Collection<Long> ids);

    /** Of these ids, the jobs that {@code worker} runs and someone asked to cancel, with the reason given. */
    Map<Long, String> cancelsRequested(Collection<Long> ids, String worker);
}
