-- Schedules and the slots they fired. A slot (schedule_id, slot_at) is a primary key, so a slot
-- creates at most one job however many replicas believe they lead: the key, committed in the same
-- transaction as the job, guarantees it, not leadership.

CREATE TABLE schedule (
    id                  bigserial PRIMARY KEY,
    name                text        NOT NULL UNIQUE,
    description         text,
    expression          text        NOT NULL,
    kind                text        NOT NULL CHECK (kind IN ('CRON', 'INTERVAL', 'ONCE', 'REBOOT', 'MANUAL')),
    timezone            text        NOT NULL DEFAULT 'UTC',
    job_kind            text        NOT NULL,
    job_payload         jsonb       NOT NULL DEFAULT '{}',
    job_queue           text        NOT NULL DEFAULT 'default',
    job_priority        smallint    NOT NULL DEFAULT 0,
    job_max_attempts    int         NOT NULL DEFAULT 3,
    job_timeout_seconds int,
    status              text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED')),
    max_instances       int,
    self_destruct       boolean     NOT NULL DEFAULT false,
    exclusive           boolean     NOT NULL DEFAULT false,
    misfire_policy      text        NOT NULL DEFAULT 'FIRE_ONCE' CHECK (misfire_policy IN ('FIRE_ONCE', 'SKIP', 'CATCH_UP')),
    -- Intervals and @after count from here (the creation time, or the last change of expression).
    anchor_at           timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    last_run_at         timestamptz,
    next_run_at         timestamptz
);
CREATE INDEX schedule_due_idx ON schedule (next_run_at) WHERE status = 'ACTIVE';

CREATE TABLE schedule_slot (
    schedule_id bigint      NOT NULL,
    slot_at     timestamptz NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('FIRED', 'SKIPPED')),
    job_id      bigint,
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_id, slot_at)
);

ALTER TABLE job ADD COLUMN schedule_id bigint;
ALTER TABLE job ADD COLUMN exclusive boolean NOT NULL DEFAULT false;
ALTER TABLE job_history ADD COLUMN schedule_id bigint;
CREATE INDEX job_schedule_idx ON job (schedule_id) WHERE schedule_id IS NOT NULL;
CREATE INDEX job_history_schedule_idx ON job_history (schedule_id, completed_at) WHERE schedule_id IS NOT NULL;
-- The claim asks "is an exclusive scheduled job running?" and "is any scheduled job running?".
CREATE INDEX job_scheduled_running_idx ON job (exclusive) WHERE schedule_id IS NOT NULL AND status = 'RUNNING';
