package io.cachekeeper.admin;

import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts the rows of each lifecycle state in one scan, with the predicates of {@link Lifecycle}. */
@ApplicationScoped
public class StatsQuery {

    private final Pool pool;
    private final String sql;

    public StatsQuery(Pool pool, Lifecycle lifecycle) {
        this.pool = pool;
        this.sql = "SELECT count(*),"
                + " count(*) FILTER (WHERE " + lifecycle.live() + "),"
                + " count(*) FILTER (WHERE " + lifecycle.expired() + "),"
                + " count(*) FILTER (WHERE " + lifecycle.deleted() + "),"
                + " count(*) FILTER (WHERE " + lifecycle.purgeable() + ")"
                + " FROM cache_entry";
    }

    public Uni<StoreStats> stats() {
        return pool.query(sql).execute()
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new StoreStats(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
                });
    }
}
