-- The lease token: how many times the job has been claimed (by the claim statement or by an insert that
-- starts it at once). It only grows, unlike attempt, which a graceful hand-back lowers again: so each claim
-- gets a token of its own, and every guarded write to a running job names the claim it belongs to. A late
-- result of an earlier claim (handed back, rescued, then claimed again by the same worker at the same
-- attempt number) no longer matches.
-- A constant default adds the column without rewriting the table. Jobs running when it arrives have
-- token 0, the value their workers' fences (of the previous version, which does not compare tokens) and the
-- rescuer (which reads the token from the row) agree on.
ALTER TABLE jobyard.job ADD COLUMN lease_token bigint NOT NULL DEFAULT 0;
