/**
 * What Jobyard tells operators about itself: Prometheus metrics ({@link dev.jobyard.observability.JobMetrics},
 * {@link dev.jobyard.observability.QueueGauges}, {@link dev.jobyard.observability.ScheduleMetrics},
 * {@link dev.jobyard.observability.LeaderMetrics}, with a bounded number of queue tags:
 * {@link dev.jobyard.observability.QueueLabels}), the optional OpenTelemetry span of each run linked to the
 * request that created the job ({@link dev.jobyard.observability.JobTraces}), and the job fields every log line
 * a handler writes carries ({@link dev.jobyard.observability.JobRunObserver}). The engine calls in with one line
 * per place where something happens, and counts once, on the replica where it happened.
 */
package dev.jobyard.observability;
