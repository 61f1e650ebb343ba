-- Access control (docs/security.md): API keys, stored by hash only, and the audit log of mutations.
CREATE TABLE jobyard.api_key (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    role         text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    -- Queue names and prefixes ending in '*'; NULL grants every queue.
    queues       text[],
    -- SHA-256 of the key text: keys are 256 random bits, so a fast hash loses nothing to guessing.
    key_hash     bytea       NOT NULL UNIQUE,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

CREATE TABLE jobyard.audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    subject   text        NOT NULL,
    role      text,
    field     text        NOT NULL,
    arguments jsonb,
    address   text,
    -- OK, or the error code the mutation ended with (FORBIDDEN, UNAUTHENTICATED, BAD_USER_INPUT, ...).
    outcome   text        NOT NULL
);
CREATE INDEX audit_log_at ON jobyard.audit_log (at);
CREATE INDEX audit_log_subject ON jobyard.audit_log (subject, id);
