-- Retention removes a day of history with ALTER TABLE … DETACH PARTITION … CONCURRENTLY and then DROP, so that
-- no completion waits behind it (HistoryPartitions). PostgreSQL refuses a concurrent detach while the table has
-- a DEFAULT partition, so job_history_default goes: what it holds moves to partitions of its days, and the
-- partition job_history_after, from the end of the last day to MAXVALUE, takes its place as the catch-all for
-- archives beyond the days kept ahead (the leader moves it on as it adds days).
-- Idempotency keys now have a retention window of their own, swept by age in batches; schedule slots too.

CREATE INDEX job_key_created_idx ON job_key (created_at);
CREATE INDEX IF NOT EXISTS schedule_slot_created_idx ON schedule_slot (created_at);

DO $$
DECLARE
    today date := (now() AT TIME ZONE 'UTC')::date;
    day date;
    last_day date;
BEGIN
    ALTER TABLE job_history DETACH PARTITION job_history_default;

    SELECT max(to_date(substr(c.relname, 14), 'YYYYMMDD')) INTO last_day
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = current_schema() AND p.relname = 'job_history' AND c.relname ~ '^job_history_p[0-9]{8}$';
    last_day := greatest(last_day, today + 7);

    -- Every day from today to a week ahead gets its partition (one may be missing if no leader ran lately), and
    -- so does each day up to then that the default partition holds rows of (days that had none of their own).
    FOR day IN SELECT d::date FROM generate_series(today, last_day, interval '1 day') d
               UNION SELECT DISTINCT (completed_at AT TIME ZONE 'UTC')::date FROM job_history_default
                      WHERE (completed_at AT TIME ZONE 'UTC')::date <= last_day LOOP
        IF to_regclass(format('%I', 'job_history_p' || to_char(day, 'YYYYMMDD'))) IS NULL THEN
            BEGIN
                EXECUTE format('CREATE TABLE %I PARTITION OF job_history FOR VALUES FROM (%L) TO (%L)',
                               'job_history_p' || to_char(day, 'YYYYMMDD'),
                               (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
            EXCEPTION WHEN invalid_object_definition THEN
                NULL; -- the day lies within job_history_before_v7 (upgraded to V7 today)
            END;
        END IF;
    END LOOP;
    EXECUTE format('CREATE TABLE job_history_after PARTITION OF job_history FOR VALUES FROM (%L) TO (MAXVALUE)',
                   ((last_day + 1)::timestamp AT TIME ZONE 'UTC'));

    -- Rows of days beyond (a clock that went back) stay in job_history_after.
    INSERT INTO job_history SELECT * FROM job_history_default;
    DROP TABLE job_history_default;
END $$;
