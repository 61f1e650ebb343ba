-- A schedule the firer can no longer evaluate (a time zone that disappeared, a row changed by hand) is set
-- aside as BROKEN with its error, so that it never holds up the others and its problem is visible.
ALTER TABLE schedule DROP CONSTRAINT IF EXISTS schedule_status_check;
ALTER TABLE schedule ADD CONSTRAINT schedule_status_check CHECK (status IN ('ACTIVE', 'PAUSED', 'BROKEN'));
ALTER TABLE schedule ADD COLUMN error text;
