-- What failed or cancelled attempts printed or returned (built-in commands: program output, HTTP
-- responses, SQL errors), one row per attempt. A successful attempt's output is its history result.
-- Deleted with the job's history entry by retention.
CREATE TABLE attempt_output (
    job_id     bigint      NOT NULL,
    attempt    int         NOT NULL,
    status     text        NOT NULL CHECK (status IN ('FAILED', 'CANCELLED')),
    error      text,
    output     jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, attempt)
);
