-- History is partitioned by the day it finished (UTC), so that retention drops whole days instead of
-- deleting rows one by one (DESIGN.md, hot path). The leader keeps partitions for the coming days
-- (HistoryPartitions); the default partition takes whatever finishes outside them, so an archive never
-- fails for want of a partition. Ids stay unique through the job sequence; the key includes completed_at
-- because a partitioned table's keys must include the partition key.
ALTER TABLE job_history RENAME TO job_history_before_v7;
ALTER INDEX job_history_pkey RENAME TO job_history_before_v7_pkey;
ALTER INDEX job_history_completed_idx RENAME TO job_history_before_v7_completed_idx;
ALTER INDEX job_history_status_idx RENAME TO job_history_before_v7_status_idx;
ALTER INDEX job_history_schedule_idx RENAME TO job_history_before_v7_schedule_idx;

CREATE TABLE job_history (LIKE job_history_before_v7 INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (completed_at);
ALTER TABLE job_history ADD PRIMARY KEY (id, completed_at);
CREATE INDEX job_history_completed_idx ON job_history (completed_at, id);
CREATE INDEX job_history_status_idx ON job_history (status, completed_at);
CREATE INDEX job_history_schedule_idx ON job_history (schedule_id, completed_at) WHERE schedule_id IS NOT NULL;
CREATE TABLE job_history_default PARTITION OF job_history DEFAULT;

-- One partition a day (job_history_pYYYYMMDD, the names HistoryPartitions creates and drops) up to a week
-- ahead. Existing history is not copied: its table becomes the partition of everything before tomorrow
-- (one scan to check the range and one index build, instead of rewriting every row), and retention empties it
-- row by row. A database without history starts with daily partitions from yesterday instead.
DO $$
DECLARE
    tomorrow date := (now() AT TIME ZONE 'UTC')::date + 1;
    day date;
BEGIN
    IF EXISTS (SELECT 1 FROM job_history_before_v7) THEN
        ALTER TABLE job_history_before_v7 DROP CONSTRAINT job_history_before_v7_pkey;
        EXECUTE format('ALTER TABLE job_history ATTACH PARTITION job_history_before_v7 FOR VALUES FROM (MINVALUE) TO (%L)',
                       (tomorrow::timestamp AT TIME ZONE 'UTC'));
        day := tomorrow;
    ELSE
        DROP TABLE job_history_before_v7;
        day := tomorrow - 2;
    END IF;
    WHILE day <= tomorrow + 6 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF job_history FOR VALUES FROM (%L) TO (%L)',
                       'job_history_p' || to_char(day, 'YYYYMMDD'),
                       (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
        day := day + 1;
    END LOOP;
END $$;
