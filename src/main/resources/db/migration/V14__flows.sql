-- Flows (pgflow's DAG workflows) on the job engine: definitions (flow, flow_step) are immutable rows
-- written once by createFlow; run state (flow_run, flow_step_state, flow_task) advances in the
-- transaction that archives a task's job. Every task attempt is one ordinary job (owner = 'flow').

CREATE TABLE jobyard.flow (
    id                 bigserial PRIMARY KEY,
    slug               text NOT NULL UNIQUE,
    description        text,
    queue              text NOT NULL,
    max_attempts       int NOT NULL,
    base_delay_seconds int,
    timeout_seconds    int,
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE jobyard.flow_step (
    id                  bigserial PRIMARY KEY,
    flow_id             bigint NOT NULL REFERENCES jobyard.flow (id) ON DELETE CASCADE,
    slug                text NOT NULL,
    step_index          int NOT NULL,
    type                text NOT NULL CHECK (type IN ('SINGLE', 'MAP')),
    kind                text NOT NULL,
    payload             jsonb NOT NULL DEFAULT '{}',
    -- Slugs of the steps this one depends on, as a JSON array of strings.
    depends_on          jsonb NOT NULL DEFAULT '[]',
    max_attempts        int,
    base_delay_seconds  int,
    timeout_seconds     int,
    start_delay_seconds int,
    UNIQUE (flow_id, slug),
    UNIQUE (flow_id, step_index)
);

-- A run's row is the lock that serialises everything that changes the run: its steps' counters, its
-- tasks and its status are only written by a transaction that holds it (FOR NO KEY UPDATE).
-- No cascade from flow: deleteFlow removes the finished runs itself, and a run that starts while the flow is
-- being deleted makes the delete fail on this key rather than vanish with it (and orphan its jobs).
CREATE TABLE jobyard.flow_run (
    id              bigserial PRIMARY KEY,
    flow_id         bigint NOT NULL REFERENCES jobyard.flow (id),
    flow_slug       text NOT NULL,
    status          text NOT NULL CHECK (status IN ('STARTED', 'COMPLETED', 'FAILED', 'CANCELLED')),
    input           jsonb NOT NULL,
    output          jsonb,
    error           text,
    remaining_steps int NOT NULL,
    idempotency_key text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz,
    UNIQUE (flow_id, idempotency_key)
);
CREATE INDEX flow_run_flow_idx ON jobyard.flow_run (flow_slug, id);
CREATE INDEX flow_run_status_idx ON jobyard.flow_run (status, id);

CREATE TABLE jobyard.flow_step_state (
    run_id          bigint NOT NULL REFERENCES jobyard.flow_run (id) ON DELETE CASCADE,
    step_slug       text NOT NULL,
    step_index      int NOT NULL,
    status          text NOT NULL CHECK (status IN ('CREATED', 'STARTED', 'COMPLETED', 'FAILED', 'CANCELLED')),
    remaining_deps  int NOT NULL,
    -- Null until the step starts: a map's task count is known only from its input array.
    initial_tasks   int,
    remaining_tasks int,
    output          jsonb,
    error           text,
    started_at      timestamptz,
    ended_at        timestamptz,
    PRIMARY KEY (run_id, step_slug)
);

-- One row per task index; job_id is the job of its latest attempt (a retry is a new job).
CREATE TABLE jobyard.flow_task (
    run_id     bigint NOT NULL REFERENCES jobyard.flow_run (id) ON DELETE CASCADE,
    step_slug  text NOT NULL,
    task_index int NOT NULL,
    job_id     bigint NOT NULL,
    attempts   int NOT NULL DEFAULT 1,
    status     text NOT NULL CHECK (status IN ('QUEUED', 'COMPLETED', 'FAILED', 'CANCELLED')),
    output     jsonb,
    error      text,
    ended_at   timestamptz,
    PRIMARY KEY (run_id, step_slug, task_index)
);
CREATE UNIQUE INDEX flow_task_job_idx ON jobyard.flow_task (job_id);
-- The run's unfinished tasks, to cancel them when the run fails or is cancelled (orphaned jobs).
CREATE INDEX flow_task_queued_idx ON jobyard.flow_task (run_id) WHERE status = 'QUEUED';
