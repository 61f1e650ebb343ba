-- The rescuer's index, keyed by what it asks (a lease that ran out), not by status = 'RUNNING'.
-- With the status predicate, the planner matched it to every fenced write on running jobs
-- (complete, renew) and, trusting statistics taken while few jobs ran, drove those batches from
-- this index with the batch's ids as the inner side of a nested loop: 500 results against 700
-- running jobs cost 300 ms instead of 2. Only running jobs hold a lease, so it covers the same rows.
DROP INDEX jobyard.job_lease_idx;
CREATE INDEX job_lease_idx ON jobyard.job (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
