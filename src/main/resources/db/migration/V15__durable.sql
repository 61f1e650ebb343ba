-- Durable tasks (package dev.jobyard.durable): what a task saved, what it waits for, its children and the
-- events emitted. The engine knows none of these tables; a durable job is an ordinary row of jobyard.job,
-- parked as WAITING (a child, an event, a row change) or PENDING with a later run_at (a sleep).

-- Saved results by (job, key): written fenced by the attempt's lease token, in the transaction that records
-- them; on replay the saved result is returned instead of running anything. timed_out marks a wait that
-- passed its deadline (the primitive then throws DurableTimeoutException). Kept with the job's history and
-- deleted by retention with it.
CREATE TABLE jobyard.durable_step (
    job_id     bigint      NOT NULL,
    key        text        NOT NULL,
    type       text        NOT NULL,
    result     jsonb,
    timed_out  boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, key)
);

-- What a parked job waits for, at most one thing at a time. until: when a timed wait gives up (the leader's
-- DurableTimeouts wakes it then), or a sleep's end. Deleted by whatever wakes the job.
CREATE TABLE jobyard.durable_wait (
    job_id       bigint      PRIMARY KEY,
    type         text        NOT NULL CHECK (type IN ('sleep', 'invoke', 'event', 'dbchange')),
    key          text        NOT NULL,
    until        timestamptz,
    event_name   text,
    child_job_id bigint,
    table_name   text,
    operation    text,
    columns      text[],
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX durable_wait_event_idx ON jobyard.durable_wait (event_name) WHERE type = 'event';
CREATE INDEX durable_wait_table_idx ON jobyard.durable_wait (table_name, operation) WHERE type = 'dbchange';
CREATE INDEX durable_wait_until_idx ON jobyard.durable_wait (until) WHERE until IS NOT NULL AND type <> 'sleep';

-- Which durable job (and which of its keys) created a child job.
CREATE TABLE jobyard.durable_child (
    child_id   bigint PRIMARY KEY,
    parent_id  bigint NOT NULL,
    key        text   NOT NULL
);
CREATE INDEX durable_child_parent_idx ON jobyard.durable_child (parent_id);

-- Emitted events, newest last: what emitEvent and ctx.emit sent, for the events query.
CREATE TABLE jobyard.durable_event (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL,
    payload    jsonb,
    woke       int         NOT NULL DEFAULT 0,
    emitted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX durable_event_name_idx ON jobyard.durable_event (name, id);

-- WAITING: a durable job parked on a child, an event or a row change. The claim takes only PENDING rows, so a
-- WAITING job is never claimed; whatever wakes it sets PENDING in its own transaction. Added NOT VALID and then
-- validated, so that the table is not locked against writes while the rows are checked.
ALTER TABLE jobyard.job DROP CONSTRAINT job_status_check;
ALTER TABLE jobyard.job ADD CONSTRAINT job_status_check CHECK (status IN ('PENDING', 'RUNNING', 'WAITING')) NOT VALID;
ALTER TABLE jobyard.job VALIDATE CONSTRAINT job_status_check;
