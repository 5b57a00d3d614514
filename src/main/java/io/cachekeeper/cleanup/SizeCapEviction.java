package io.cachekeeper.cleanup;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.body.BodyRemoval;
import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.AsyncCommit;
import io.cachekeeper.database.Database;
import io.cachekeeper.entry.EntryColumns;
import io.cachekeeper.entry.Lifecycle;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The end of a pass when a size cap is set ({@code cachekeeper.max-entries}, {@code max-total-size}):
 * it measures the store once, then evicts the oldest entries that are not soft-deleted (so nothing
 * inside a grace period), permanently, in batches of at most {@code batch-size} rows, until the store is
 * under both caps. Each batch takes exactly as many of the oldest rows as the excess still needs
 * (a running sum of their body sizes, streamed bodies counted: {@link EntryColumns#SIZE}), locks them
 * {@code SKIP LOCKED} and deletes them with their streamed bodies ({@link BodyRemoval}); bodies never reach the JVM.
 *
 * <p>
 * The excess is measured once, so two replicas evicting at once would each remove it: the phase
 * runs only in the replica holding a session advisory lock ({@code pg_try_advisory_lock}), which never
 * waits; the others skip eviction for this pass. A crash releases the lock with the session.
 */
@ApplicationScoped
public class SizeCapEviction {

    /** Advisory lock key: "cachekeeper evict". */
    static final long LOCK_KEY = 0x63_6b_65_76_69_63_74L;

    private static final String MEASURE = """
            SELECT count(*) AS entries, %s AS body_bytes FROM cache_entry
            """.formatted(EntryColumns.BODY_BYTES);

    /**
     * $1 batch size, $2 rows still to evict, $3 bytes still to evict: a candidate, oldest first, is taken
     * while either excess is not yet covered by the candidates before it.
     */
    private static final String EVICT = """
            WITH candidates AS (
                SELECT ctid, created_at, id, %1$s AS n
                FROM cache_entry
                WHERE %4$s
                ORDER BY created_at, id
                LIMIT $1 FOR UPDATE SKIP LOCKED),
            ranked AS (
                SELECT ctid, row_number() OVER o AS r, sum(n) OVER o - n AS bytes_before
                FROM candidates
                WINDOW o AS (ORDER BY created_at, id)),
            gone AS (
                DELETE FROM cache_entry
                WHERE ctid = ANY(ARRAY(SELECT ctid FROM ranked WHERE r <= $2 OR bytes_before < $3))
                  AND %2$s
                RETURNING %1$s AS n, body_id)
            SELECT count(*) AS entries, coalesce(sum(n), 0)::bigint AS body_bytes, %3$s AS removed_bodies FROM gone
            """.formatted(EntryColumns.SIZE, AsyncCommit.CONDITION, BodyRemoval.REMOVE_BODIES,
            Lifecycle.NOT_DELETED);

    /**
     * The same batch on Citus, which runs neither FOR UPDATE nor ctid conditions through the coordinator: the
     * candidates (the oldest of every shard, merged by the coordinator) are deleted by (route, id), the
     * DELETE's own row locks and re-check keeping a row that was deleted meanwhile, their id map's rows (of the
     * ids that do not name their route, entry/Route) and their streamed bodies with them. Same parameters.
     */
    private static final String EVICT_ON_CITUS = """
            WITH candidates AS (
                SELECT route, id, created_at, %1$s AS n
                FROM cache_entry
                WHERE %3$s
                ORDER BY created_at, id
                LIMIT $1),
            ranked AS (
                SELECT route, id, row_number() OVER o AS r, sum(n) OVER o - n AS bytes_before
                FROM candidates
                WINDOW o AS (ORDER BY created_at, id)),
            gone AS (
                DELETE FROM cache_entry
                WHERE (route, id) IN (SELECT route, id FROM ranked WHERE r <= $2 OR bytes_before < $3)
                  AND %3$s
                RETURNING route, id, %1$s AS n, body_id),
            unmapped AS (
                DELETE FROM cache_entry_id WHERE id IN (SELECT id FROM gone WHERE cache_id_route(id) <> route)),
            %2$s
            SELECT count(*) AS entries, coalesce(sum(n), 0)::bigint AS body_bytes FROM gone
            """.formatted(EntryColumns.SIZE, BodyRemoval.REMOVE_BODIES_ON_CITUS,
            Lifecycle.NOT_DELETED);

    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(%d) AS locked".formatted(LOCK_KEY);
    private static final String UNLOCK = "SELECT pg_advisory_unlock(%d)".formatted(LOCK_KEY);

    private final Database database;
    private final CachekeeperConfig config;
    private final CleanupMetrics metrics;

    private final String evict;

    public SizeCapEviction(Database database, CachekeeperConfig config, CleanupMetrics metrics) {
        this.database = database;
        this.config = config;
        this.metrics = metrics;
        this.evict = config.citus().enabled() ? EVICT_ON_CITUS : EVICT;
    }

    boolean capped() {
        return config.maxEntries().isPresent() || config.maxTotalSize().isPresent();
    }

    Uni<Void> run(PassProgress progress) {
        if (!capped() || !progress.mayContinue()) {
            return Uni.createFrom().voidItem();
        }
        return database.session(connection -> database.inSession(connection,
                connection.query(TRY_LOCK).execute())
                .chain(locked -> locked.iterator().next().getBoolean("locked")
                        ? evict(connection, progress).eventually(() -> database.inSession(connection,
                                connection.query(UNLOCK).execute()))
                        : Uni.createFrom().voidItem()));
    }

    private Uni<Void> evict(SqlConnection connection, PassProgress progress) {
        int size = progress.settings().batchSize();
        return database.inSession(connection, connection.query(MEASURE).execute()).chain(rows -> {
            Row r = rows.iterator().next();
            AtomicReference<CapExcess> excess = new AtomicReference<>(CapExcess.of(r.getLong("entries"),
                    r.getLong("body_bytes"), config.maxEntries(), config.maxTotalSize().map(MemorySize::asLongValue)));
            if (!excess.get().over()) {
                return Uni.createFrom().voidItem();
            }
            return Multi.createBy().repeating()
                    .uni(() -> {
                        long start = System.nanoTime();
                        CapExcess left = excess.get();
                        return database.inSession(connection, connection.preparedQuery(evict)
                                .execute(Tuple.of((long) size, left.rows(), left.bytes())))
                                .map(result -> {
                                    Row b = result.iterator().next();
                                    long n = b.getLong("entries");
                                    long nanos = System.nanoTime() - start;
                                    excess.set(left.after(n, b.getLong("body_bytes")));
                                    progress.evicted(n, nanos);
                                    metrics.evicted(n, nanos);
                                    return n;
                                });
                    })
                    .whilst(n -> n > 0 && excess.get().over() && progress.mayContinue())
                    .collect().last().replaceWithVoid();
        });
    }
}
