-- Chains (pg_timetable): a chain's definition is chain -> tasks -> parameters. Its timing lives in the
-- schedule row it owns, whose id it shares, so firing, slots, misfires, maxInstances, exclusive and
-- self-destruct are the schedule machinery's; a self-destructed schedule takes its chain with it.
-- A run is a job of kind 'chain' with schedule_id set; the execution log has one row per task
-- execution, written outside the run's transaction and deleted with the run's history entry.

CREATE TABLE chain (
    -- The chain's schedule has the same id: its runs' schedule_id is the chain id, and a schedule event
    -- (SKIPPED) names the chain without a lookup.
    id              bigint      PRIMARY KEY REFERENCES schedule (id) ON DELETE CASCADE,
    name            text        NOT NULL UNIQUE,
    description     text,
    client_name     text,
    on_error        text,
    timeout_seconds int,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chain_task (
    id              bigserial        PRIMARY KEY,
    chain_id        bigint           NOT NULL REFERENCES chain (id) ON DELETE CASCADE,
    task_order      double precision NOT NULL,
    name            text,
    kind            text             NOT NULL,
    command         text,
    -- The kind's payload; command is its shorthand (sql: payload.sql; program: payload.command), and the
    -- sql kind's runAs and datasource are payload fields as for a sql job.
    payload         jsonb,
    ignore_error    boolean          NOT NULL DEFAULT false,
    autonomous      boolean          NOT NULL DEFAULT false,
    timeout_seconds int,
    UNIQUE (chain_id, task_order)
);

-- One row per execution of a task, in order_id order (pg_timetable's timetable.parameter); a task
-- without rows runs once. Read when the run reaches the task, so an earlier autonomous task may
-- rewrite them (dynamic parameters).
CREATE TABLE chain_parameter (
    task_id  bigint NOT NULL REFERENCES chain_task (id) ON DELETE CASCADE,
    order_id int    NOT NULL CHECK (order_id > 0),
    value    jsonb,
    PRIMARY KEY (task_id, order_id)
);

-- No foreign keys: the log outlives edits and deletions of its chain, as long as the run's history.
CREATE TABLE chain_execution_log (
    id              bigserial   PRIMARY KEY,
    run_id          bigint      NOT NULL,
    chain_id        bigint      NOT NULL,
    task_id         bigint,
    task_name       text,
    parameter_index int,
    txid            bigint,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT now(),
    return_code     int         NOT NULL,
    output          text,
    params          jsonb,
    worker          text,
    client_name     text
);
CREATE INDEX chain_execution_log_run_idx ON chain_execution_log (run_id, id);
CREATE INDEX chain_execution_log_chain_idx ON chain_execution_log (chain_id, id);

-- A chain run's client name (pg_timetable's client_name): the claim gives such a run only to a replica whose
-- jobyard.client-name matches. A plain nullable column, set by the engine when it inserts the job (from the
-- kind's handler: a chain run's payload names it), so adding it rewrites nothing and takes its lock only
-- briefly; NULL for every other job, so the claim's extra test costs a NULL check. job_history has no such
-- column: only waiting jobs are routed, and a retried run takes it again from its payload.
ALTER TABLE job ADD COLUMN client_name text;
