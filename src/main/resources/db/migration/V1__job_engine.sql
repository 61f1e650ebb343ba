-- The job engine's tables. A job lives in exactly one of job (PENDING, RUNNING) and job_history
-- (COMPLETED, FAILED, CANCELLED); it moves in the transaction that gives it its final state.

CREATE SEQUENCE job_id_seq;

CREATE TABLE job (
    id               bigint PRIMARY KEY,
    queue            text        NOT NULL DEFAULT 'default',
    kind             text        NOT NULL,
    name             text,
    description      text,
    payload          jsonb       NOT NULL DEFAULT '{}',
    labels           jsonb       NOT NULL DEFAULT '{}',
    priority         smallint    NOT NULL DEFAULT 0,
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RUNNING')),
    run_at           timestamptz NOT NULL DEFAULT now(),
    attempt          int         NOT NULL DEFAULT 0,
    max_attempts     int         NOT NULL DEFAULT 3,
    timeout_seconds  int,
    idempotency_key  text,
    dependencies     jsonb       NOT NULL DEFAULT '[]',
    -- Dependencies not yet COMPLETED; 0 means runnable once run_at is reached.
    pending_deps     int         NOT NULL DEFAULT 0,
    errors           jsonb       NOT NULL DEFAULT '[]',
    error            text,
    worker           text,
    lease_expires_at timestamptz,
    cancel_reason    text,
    retry_of         bigint,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- The claim reads only this index: runnable rows in the order they are taken.
CREATE INDEX job_runnable_idx ON job (queue, priority DESC, run_at, id)
    WHERE status = 'PENDING' AND pending_deps = 0;
CREATE INDEX job_lease_idx ON job (lease_expires_at) WHERE status = 'RUNNING';

-- One row per unfinished dependency; deleted when the dependency completes.
CREATE TABLE job_dependency (
    depends_on bigint NOT NULL,
    job_id     bigint NOT NULL,
    PRIMARY KEY (depends_on, job_id)
);
CREATE INDEX job_dependency_job_idx ON job_dependency (job_id);

CREATE TABLE job_history (
    id               bigint PRIMARY KEY,
    queue            text        NOT NULL,
    kind             text        NOT NULL,
    name             text,
    description      text,
    payload          jsonb       NOT NULL,
    labels           jsonb       NOT NULL,
    priority         smallint    NOT NULL,
    status           text        NOT NULL CHECK (status IN ('COMPLETED', 'FAILED', 'CANCELLED')),
    run_at           timestamptz NOT NULL,
    attempt          int         NOT NULL,
    max_attempts     int         NOT NULL,
    timeout_seconds  int,
    idempotency_key  text,
    dependencies     jsonb       NOT NULL,
    errors           jsonb       NOT NULL,
    error            text,
    result           jsonb,
    worker           text,
    retry_of         bigint,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    completed_at     timestamptz NOT NULL,
    duration_ms      bigint
);
CREATE INDEX job_history_completed_idx ON job_history (completed_at, id);
CREATE INDEX job_history_status_idx ON job_history (status, completed_at);

-- Idempotency keys outlive the active row, so they have a table of their own.
CREATE TABLE job_key (
    idempotency_key text PRIMARY KEY,
    job_id          bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE queue (
    name       text PRIMARY KEY,
    paused     boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE worker_node (
    node_id      text PRIMARY KEY,
    host         text        NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    queues       jsonb       NOT NULL DEFAULT '[]',
    running      int         NOT NULL DEFAULT 0
);

-- One row per leadership role; token grows by one at every change of holder (fencing token).
CREATE TABLE leader_lease (
    name        text PRIMARY KEY,
    node_id     text        NOT NULL,
    token       bigint      NOT NULL,
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE TABLE job_log (
    id         bigserial PRIMARY KEY,
    job_id     bigint      NOT NULL,
    attempt    int         NOT NULL,
    level      text        NOT NULL,
    message    text,
    data       jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_log_job_idx ON job_log (job_id, id);
