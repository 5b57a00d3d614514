package io.cachekeeper.cleanup;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One purge batch: one short transaction that deletes up to {@code batch-size} eligible rows of one
 * {@link PurgeReason} and commits. Only ids travel (no bodies reach the JVM); eligibility is judged
 * by the database clock when the rows are locked. {@code SKIP LOCKED} makes concurrent passes
 * (other replicas) and writers never wait on each other: a row another transaction holds — a
 * restore, say — is left alone, and if that restore commits first the row is no longer eligible.
 */
@ApplicationScoped
public class PurgeBatch {

    private final Pool pool;
    private final CachekeeperConfig config;

    public PurgeBatch(Pool pool, CachekeeperConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Deletes up to {@code limit} eligible rows in its own transaction; returns how many. */
    public Uni<Integer> delete(PurgeReason reason, int limit) {
        String sql = "DELETE FROM cache_entry WHERE id IN ("
                + " SELECT id FROM cache_entry WHERE " + reason.eligibleSql
                + " LIMIT $2 FOR UPDATE SKIP LOCKED)";
        Tuple args = Tuple.of(retentionSeconds(reason), (long) limit);
        return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(args))
                .map(rows -> rows.rowCount());
    }

    /** Counts the eligible rows of a reason without touching them (dry run). */
    public Uni<Long> count(PurgeReason reason) {
        String sql = "SELECT count(*) FROM cache_entry WHERE " + reason.eligibleSql;
        return pool.preparedQuery(sql).execute(Tuple.of(retentionSeconds(reason)))
                .map(rows -> rows.iterator().next())
                .map((Row row) -> row.getLong(0));
    }

    private double retentionSeconds(PurgeReason reason) {
        return Lifecycle.seconds(reason.retention(config.cleanup()));
    }
}
