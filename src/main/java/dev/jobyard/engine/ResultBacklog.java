package dev.jobyard.engine;

/**
 * Results this replica's completer has not written yet.
 *
 * @param waiting results submitted and not written
 * @param overdue of those, how many have waited longer than a lease (a health problem: see docs/observability.md)
 * @param oldestMillis how long the oldest has waited
 * @param failure why the last write failed, while writes fail; else null
 */
public record ResultBacklog(int waiting, int overdue, long oldestMillis, String failure) {

    public static final ResultBacklog NONE = new ResultBacklog(0, 0, 0, null);
}
