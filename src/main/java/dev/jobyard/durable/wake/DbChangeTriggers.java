package dev.jobyard.durable.wake;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.jobyard.database.DatabaseBootstrap;
import dev.jobyard.database.Sql;
import dev.jobyard.durable.DurableConfig;
import dev.jobyard.event.EventChannel;
import dev.jobyard.event.JobEventSql;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Row changes: at start-up (after the migrations) the service installs one row trigger on each table of
 * {@code jobyard.durable.db-events.tables}, and on no other. The trigger function wakes, in the transaction that
 * changed the row, every task waiting for that operation on that table, with only the columns each chose from the
 * new and old row. A table with nobody waiting costs the trigger one index probe per row.
 */
@ApplicationScoped
public class DbChangeTriggers {

    private static final Logger LOG = Logger.getLogger(DbChangeTriggers.class);
    /** After the migrations, before the workers. */
    public static final int STARTUP_PRIORITY = DatabaseBootstrap.STARTUP_PRIORITY + 5;
    // Replicas starting together install under one lock: concurrent CREATE OR REPLACE of one function fails.
    private static final long INSTALL_LOCK = 0x6A6F627944424348L;

    // The wake-up is announced in JobEventSql's format (as the hot statements do), so that workers start at once.
    private static final String FUNCTION = """
            CREATE OR REPLACE FUNCTION jobyard.durable_db_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
            DECLARE
                op text := lower(TG_OP);
                tbl text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
                new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
                old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
                taken_ids bigint[];
                woken bigint[];
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM jobyard.durable_wait
                                WHERE type = 'dbchange' AND table_name = tbl AND operation = op) THEN
                    RETURN NULL;
                END IF;
                WITH taken AS (
                    DELETE FROM jobyard.durable_wait
                     WHERE type = 'dbchange' AND table_name = tbl AND operation = op
                    RETURNING job_id, key, columns),
                saved AS (
                    INSERT INTO jobyard.durable_step (job_id, key, type, result)
                    SELECT t.job_id, t.key, 'dbchange', jsonb_build_object('operation', op, 'schema', TG_TABLE_SCHEMA,
                               'table', TG_TABLE_NAME,
                               'new', (SELECT jsonb_object_agg(e.k, e.v) FROM jsonb_each(new_row) e(k, v)
                                        WHERE e.k = ANY(t.columns)),
                               'old', (SELECT jsonb_object_agg(e.k, e.v) FROM jsonb_each(old_row) e(k, v)
                                        WHERE e.k = ANY(t.columns)))
                      FROM taken t
                    ON CONFLICT DO NOTHING)
                SELECT array_agg(job_id ORDER BY job_id) INTO taken_ids FROM taken;
                WITH w AS (
                    UPDATE jobyard.job SET status = 'PENDING', run_at = now(), updated_at = now()
                     WHERE id = ANY(taken_ids) AND status = 'WAITING' RETURNING id)
                SELECT array_agg(id) INTO woken FROM w;
                IF woken IS NOT NULL THEN
                    PERFORM count(*) FROM (%s) announced;
                END IF;
                RETURN NULL;
            END
            $fn$""".formatted(JobEventSql.announce("(SELECT * FROM jobyard.job j WHERE j.id = ANY(woken)) i")
            .channel("'" + EventChannel.NAME + "'").status("'PENDING'").previous("'WAITING'").runAt("i.run_at")
            .runnable("true").sql());

    private final Sql sql;
    private final DurableConfig config;

    DbChangeTriggers(Sql sql, DurableConfig config) {
        this.sql = sql;
        this.config = config;
    }

    void onStart(@Observes @Priority(STARTUP_PRIORITY) StartupEvent event) {
        install();
    }

    /** Installs the function and the trigger on each allowed table that exists; returns the tables it covered. */
    public List<String> install() {
        List<String> tables = config.dbEvents().tables().orElse(List.of());
        List<String> installed = new ArrayList<>();
        if (tables.isEmpty()) {
            return installed;
        }
        sql.inTransaction(tx -> {
            tx.query("SELECT pg_advisory_xact_lock($1)", Tuple.of(INSTALL_LOCK));
            tx.query(FUNCTION);
            for (String table : tables) {
                Row found = tx.query("SELECT to_regclass($1)::text AS t", Tuple.of(table)).iterator().next();
                if (found.getString("t") == null) {
                    LOG.warnf("Table %s of jobyard.durable.db-events.tables does not exist; tasks cannot wait for its"
                            + " row changes until it does and the service restarts", table);
                    continue;
                }
                String[] parts = table.split("\\.", 2);
                tx.query("CREATE OR REPLACE TRIGGER jobyard_durable_change AFTER INSERT OR UPDATE OR DELETE ON "
                        + quote(parts[0]) + "." + quote(parts[1])
                        + " FOR EACH ROW EXECUTE FUNCTION jobyard.durable_db_change()");
                installed.add(table);
            }
            return null;
        });
        return installed;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
