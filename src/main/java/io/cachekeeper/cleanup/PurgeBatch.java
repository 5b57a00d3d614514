package io.cachekeeper.cleanup;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One purge batch: a single statement, hence one short transaction of its own, that deletes up to
 * {@code batch-size} eligible rows of one {@link PurgeReason} and commits. Only the row count comes
 * back (no bodies reach the JVM), and the entries' streamed bodies go in the same statement; eligibility
 * is judged by the database clock when the rows are
 * locked. {@code FOR UPDATE SKIP LOCKED} makes concurrent passes (other workers, other replicas)
 * and writers never wait on each other: a row another transaction holds — a restore, say — is left
 * alone, and if that restore commits first the row is re-checked and no longer eligible.
 *
 * <p>
 * Why this shape (measured, see bench/README.md):
 * <ul>
 * <li>the locked rows are deleted by {@code ctid} (a TID scan) rather than joined back by id through
 * the primary key: about a third less time per batch;</li>
 * <li>{@code set_config('synchronous_commit', 'off', true)} makes this transaction's commit
 * asynchronous: a purge needs no durable commit, since at worst a crash brings back rows that the
 * next pass purges again; on a disk with slow fsync that is most of a batch's time;</li>
 * <li>all of it in one statement: one round trip per batch, no BEGIN/SET/COMMIT exchanges.</li>
 * </ul>
 */
@ApplicationScoped
public class PurgeBatch {

    /** The batch DELETE of each lifecycle reason (sql/purge.sql). */
    private final Map<PurgeReason, NamedSql> deletes = new EnumMap<>(PurgeReason.class);
    /** The dry run's count of each lifecycle reason. */
    private final Map<PurgeReason, NamedSql> counts = new EnumMap<>(PurgeReason.class);
    private final Database database;

    public PurgeBatch(Database database, SqlCatalogue catalogue) {
        this.database = database;
        deletes.put(PurgeReason.DELETED_PAST_GRACE, catalogue.get("purge-batch-deleted"));
        deletes.put(PurgeReason.EXPIRED_PAST_RETENTION, catalogue.get("purge-batch-expired"));
        counts.put(PurgeReason.DELETED_PAST_GRACE, catalogue.get("purge-count-deleted"));
        counts.put(PurgeReason.EXPIRED_PAST_RETENTION, catalogue.get("purge-count-expired"));
    }

    /** Deletes up to {@code limit} eligible rows in its own transaction, on the worker's connection; returns how many. */
    public Uni<Integer> delete(SqlConnection connection, PurgeReason reason, int limit) {
        return database.inSession(connection, deletes.get(reason), new Params().set("batch_size", (long) limit))
                .map(rows -> rows.iterator().next().getLong("purged").intValue());
    }

    /** Counts the eligible rows of a reason without touching them (dry run). */
    public Uni<Long> count(PurgeReason reason) {
        return database.execute(counts.get(reason)).map(rows -> rows.iterator().next().getLong("eligible"));
    }
}
