package io.cachekeeper.cleanup;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.SqlCatalogue;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;

/**
 * Plans a pass from the table's statistics alone: PostgreSQL's own row estimate for the eligible rows
 * ({@code EXPLAIN}, which plans the query and reads no table or index page) against the table's pages.
 * The heap sweep ({@link HeapSweep}) reads every page once, whatever it finds there; the index path
 * ({@link PurgeBatch}) visits only eligible rows, each on a page of its own; so the sweep pays when
 * eligible rows outnumber pages by {@link #ROWS_PER_PAGE} or more (measured: docs/performance.md).
 *
 * <p>
 * Why not count: a count over the partial indexes walks the index entries of the rows the previous
 * pass deleted (they stay until vacuum), visits their heap pages and prunes them: right after a large
 * purge, a quarter as much WAL again as the pass (docs/performance.md, "Figures behind the code"). The
 * estimate is as fresh
 * as the table's statistics (autovacuum analyzes a table after about a tenth of it changed).
 */
@ApplicationScoped
public class PurgePlanner {

    /** Eligible rows per heap page from which the sweep beats the index walk. */
    static final double ROWS_PER_PAGE = 1.0;

    /**
     * A pass's path ({@link BatchPath#HEAP} or {@link BatchPath#INDEX}; {@link BatchPath#SHARD} on a store in shards, shard by
     * shard whatever the statistics) and the eligible rows the statistics expect it to find.
     */
    record Plan(BatchPath path, long estimatedEligible) {
    }

    private final Database database;
    private final ShardSweep shards;
    private final NamedSql estimate;
    private final NamedSql pages;

    public PurgePlanner(Database database, SqlCatalogue catalogue, ShardSweep shards) {
        this.database = database;
        this.shards = shards;
        this.estimate = catalogue.get("purge-estimate");
        this.pages = catalogue.get("purge-table-pages");
    }

    Uni<Plan> plan(Strategy strategy) {
        if (shards.sharded()) {
            // The front server's own table is empty: its statistics say nothing of the shards' rows.
            return Uni.createFrom().item(new Plan(BatchPath.SHARD, 0));
        }
        return database.execute(estimate)
                .chain(explained -> database.execute(pages).map(counted -> {
                    Object plan = explained.iterator().next().getValue("QUERY PLAN");
                    long eligible = planRows(plan instanceof JsonArray json ? json : new JsonArray(plan.toString()));
                    long tablePages = counted.iterator().next().getLong("pages");
                    return new Plan(path(strategy, eligible, tablePages), eligible);
                }));
    }

    /** The path of a pass: the configured one, or for {@code auto} the cheaper for the eligible rows the table's pages hold. */
    static BatchPath path(Strategy strategy, long eligible, long tablePages) {
        return switch (strategy) {
            case HEAP -> BatchPath.HEAP;
            case INDEX -> BatchPath.INDEX;
            case AUTO -> eligible >= ROWS_PER_PAGE * tablePages ? BatchPath.HEAP : BatchPath.INDEX;
        };
    }

    /** The top plan node's row estimate, from {@code EXPLAIN (FORMAT JSON)}: {@code [{"Plan": {"Plan Rows": n, …}}]}. */
    static long planRows(JsonArray explained) {
        Number rows = explained.getJsonObject(0).getJsonObject("Plan").getNumber("Plan Rows");
        if (rows == null) {
            throw new IllegalStateException("no row estimate in " + explained);
        }
        return rows.longValue();
    }
}
