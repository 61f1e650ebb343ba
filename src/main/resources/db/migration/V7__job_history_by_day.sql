-- History is partitioned by the day it finished (UTC), so that retention drops whole days instead of
-- deleting rows one by one (DESIGN.md, hot path). The leader keeps partitions for the coming days
-- (HistoryPartitions); the default partition takes whatever finishes outside them, so an archive never
-- fails for want of a partition. Ids stay unique through the job sequence; the key includes completed_at
-- because a partitioned table's keys must include the partition key.
ALTER TABLE job_history RENAME TO job_history_unpartitioned;
ALTER INDEX job_history_pkey RENAME TO job_history_unpartitioned_pkey;
ALTER INDEX job_history_completed_idx RENAME TO job_history_unpartitioned_completed_idx;
ALTER INDEX job_history_status_idx RENAME TO job_history_unpartitioned_status_idx;
ALTER INDEX job_history_schedule_idx RENAME TO job_history_unpartitioned_schedule_idx;

CREATE TABLE job_history (LIKE job_history_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (completed_at);
ALTER TABLE job_history ADD PRIMARY KEY (id, completed_at);
CREATE INDEX job_history_completed_idx ON job_history (completed_at, id);
CREATE INDEX job_history_status_idx ON job_history (status, completed_at);
CREATE INDEX job_history_schedule_idx ON job_history (schedule_id, completed_at) WHERE schedule_id IS NOT NULL;
CREATE TABLE job_history_default PARTITION OF job_history DEFAULT;

-- One partition a day, from the oldest entry kept (or yesterday) to a week ahead; the names are what
-- HistoryPartitions creates and drops: job_history_pYYYYMMDD.
DO $$
DECLARE
    day date := least((SELECT min(completed_at AT TIME ZONE 'UTC')::date FROM job_history_unpartitioned),
                      (now() AT TIME ZONE 'UTC')::date - 1);
BEGIN
    WHILE day <= (now() AT TIME ZONE 'UTC')::date + 7 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF job_history FOR VALUES FROM (%L) TO (%L)',
                       'job_history_p' || to_char(day, 'YYYYMMDD'),
                       (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
        day := day + 1;
    END LOOP;
END $$;

INSERT INTO job_history SELECT * FROM job_history_unpartitioned;
DROP TABLE job_history_unpartitioned;
