-- The W3C trace context (traceparent) of the request that created a job, written only while OpenTelemetry
-- tracing is on, so that each run of the job is a span in the creator's trace. A side table rather than a
-- column of job: nothing is written or read on the hot path while tracing is off. Rows outlive the job's
-- move to history and are deleted by the retention cleaner with the history.
CREATE TABLE jobyard.job_trace (
    job_id      bigint PRIMARY KEY,
    traceparent text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX job_trace_created_idx ON jobyard.job_trace (created_at);
