package io.cachekeeper.admin;

import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts the rows of each lifecycle state in one scan, with the predicates of {@link Lifecycle}. */
@ApplicationScoped
public class StatsQuery {

    private static final String SQL = "SELECT count(*),"
            + " count(*) FILTER (WHERE " + Lifecycle.LIVE_SQL + "),"
            + " count(*) FILTER (WHERE " + Lifecycle.EXPIRED_SQL + "),"
            + " count(*) FILTER (WHERE " + Lifecycle.DELETED_SQL + "),"
            + " count(*) FILTER (WHERE " + Lifecycle.PURGEABLE_SQL + ")"
            + " FROM cache_entry";

    private final Pool pool;
    private final Lifecycle lifecycle;

    public StatsQuery(Pool pool, Lifecycle lifecycle) {
        this.pool = pool;
        this.lifecycle = lifecycle;
    }

    public Uni<StoreStats> stats() {
        return pool.preparedQuery(SQL).execute(Tuple.of(Lifecycle.seconds(lifecycle.gracePeriod())))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new StoreStats(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
                });
    }
}
