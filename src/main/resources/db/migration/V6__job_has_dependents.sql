-- Whether some job waits for this one. Set when the dependent is created (in the same transaction),
-- so the claim hands it to the worker with the job and the completer can write such results first,
-- in small transactions, without asking job_dependency for every result.
ALTER TABLE jobyard.job ADD COLUMN has_dependents boolean NOT NULL DEFAULT false;

-- Jobs that others already wait for when the column arrives (one pass over the dependency edges).
UPDATE jobyard.job j SET has_dependents = true
 WHERE EXISTS (SELECT 1 FROM jobyard.job_dependency d WHERE d.depends_on = j.id);
