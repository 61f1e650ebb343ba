-- Which workflow a job belongs to ('flow', 'durable', ...; NULL for a job of its own). The engine hands the
-- ends of owned jobs to their owner in the transaction that archives them (dev.jobyard.job.JobOwner), so a
-- flow run or a waiting parent moves on exactly when, and only if, its job's end commits.
-- No default: adding a nullable column rewrites nothing, on the active table and on every history partition.
ALTER TABLE jobyard.job ADD COLUMN owner text;
ALTER TABLE jobyard.job_history ADD COLUMN owner text;
