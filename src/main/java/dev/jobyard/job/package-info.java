/**
 * Jobs: the model, the rules for creating, cancelling and retrying them ({@link dev.jobyard.job.JobService}),
 * dependency checks, and the one place that holds the SQL of the job tables ({@link dev.jobyard.job.JobStore}).
 */
package dev.jobyard.job;
