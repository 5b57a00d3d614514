package io.cachekeeper.cleanup;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The end of a pass when a size cap is set ({@code cachekeeper.max-entries}, {@code max-total-size}):
 * it measures the store once, then evicts the oldest entries that are not soft-deleted (so nothing
 * inside a grace period), permanently, in batches of at most {@code batch-size} rows, until the store is
 * under both caps. Each batch takes exactly as many of the oldest rows as the excess still needs
 * (a running sum of their body sizes, streamed bodies counted), locks them {@code SKIP LOCKED} and deletes them
 * with their streamed bodies (sql/purge.sql, evict-batch); bodies never reach the JVM.
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

    private final Database database;
    private final CachekeeperConfig config;
    private final CleanupMetrics metrics;

    private final NamedSql tryLock;
    private final NamedSql unlock;
    private final NamedSql measure;
    private final NamedSql evict;

    public SizeCapEviction(Database database, SqlCatalogue catalogue, CachekeeperConfig config, CleanupMetrics metrics) {
        this.database = database;
        this.config = config;
        this.metrics = metrics;
        this.tryLock = catalogue.get("evict-try-lock");
        this.unlock = catalogue.get("evict-unlock");
        this.measure = catalogue.get("evict-measure");
        this.evict = catalogue.get("evict-batch");
    }

    boolean capped() {
        return config.maxEntries().isPresent() || config.maxTotalSize().isPresent();
    }

    Uni<Void> run(PassProgress progress) {
        if (!capped() || !progress.mayContinue()) {
            return Uni.createFrom().voidItem();
        }
        Params lock = new Params().set("lock_key", LOCK_KEY);
        return database.session(connection -> database.inSession(connection, tryLock, lock)
                .chain(locked -> locked.iterator().next().getBoolean("locked")
                        ? evict(connection, progress).eventually(() -> database.inSession(connection, unlock, lock))
                        : Uni.createFrom().voidItem()));
    }

    private Uni<Void> evict(SqlConnection connection, PassProgress progress) {
        int size = progress.settings().batchSize();
        return database.inSession(connection, measure).chain(rows -> {
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
                        return database.inSession(connection, evict, new Params().set("batch_size", (long) size)
                                .set("rows", left.rows()).set("bytes", left.bytes()))
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
