package io.cachekeeper.cleanup;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.cachekeeper.database.Database;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Chooses a pass's path: the heap sweep ({@link HeapSweep}) reads every page once, whatever it finds
 * there; the index path ({@link PurgeBatch}) visits only eligible rows, each on a page of its own.
 * So the sweep pays when eligible rows outnumber pages by {@link #ROWS_PER_PAGE} or more (measured:
 * README, "Performance"). The count stops at that threshold (a LIMIT on each partial index), so
 * deciding costs at most one index walk of a page count's worth of entries.
 */
@ApplicationScoped
public class PurgePlanner {

    /** Eligible rows per heap page from which the sweep beats the index walk. */
    static final double ROWS_PER_PAGE = 1.0;

    enum Path {
        HEAP, INDEX
    }

    private final Database database;
    private final CachekeeperConfig config;
    private final String sql;

    public PurgePlanner(Database database, Lifecycle lifecycle, CachekeeperConfig config) {
        this.database = database;
        this.config = config;
        String limit = " LIMIT (SELECT threshold FROM t)";
        this.sql = "WITH t AS (SELECT ceil(" + ROWS_PER_PAGE + " * greatest(1, pg_relation_size('cache_entry')"
                + " / current_setting('block_size')::int))::bigint AS threshold)"
                + " SELECT (SELECT threshold FROM t),"
                + " (SELECT count(*) FROM (SELECT 1 FROM cache_entry WHERE " + lifecycle.purgeable() + limit + ") d)"
                + " + (SELECT count(*) FROM (SELECT 1 FROM cache_entry WHERE " + lifecycle.stale() + limit + ") e)";
    }

    Uni<Path> choose() {
        Strategy strategy = config.cleanup().strategy();
        if (strategy != Strategy.AUTO) {
            return Uni.createFrom().item(strategy == Strategy.HEAP ? Path.HEAP : Path.INDEX);
        }
        return database.query(sql).map(rows -> {
            Row r = rows.iterator().next();
            return r.getLong(1) >= r.getLong(0) ? Path.HEAP : Path.INDEX;
        });
    }
}
