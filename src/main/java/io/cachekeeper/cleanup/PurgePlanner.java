package io.cachekeeper.cleanup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.cachekeeper.database.Database;
import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Uni;

/**
 * Plans a pass from the table's statistics alone: PostgreSQL's own row estimate for the eligible rows
 * ({@code EXPLAIN}, which plans the query and reads no table or index page) against the table's pages.
 * The heap sweep ({@link HeapSweep}) reads every page once, whatever it finds there; the index path
 * ({@link PurgeBatch}) visits only eligible rows, each on a page of its own; so the sweep pays when
 * eligible rows outnumber pages by {@link #ROWS_PER_PAGE} or more (measured: docs/performance.md).
 *
 * <p>
 * Why not count: a count over the partial indexes walks the index entries of the rows the previous
 * pass deleted (they stay until vacuum), visits their heap pages and prunes them. Measured right after
 * a 600,000-row purge: 0.81 s and 215 MB of WAL, a quarter of the pass's WAL. The estimate is as fresh
 * as the table's statistics (autovacuum analyzes a table after about a tenth of it changed).
 */
@ApplicationScoped
public class PurgePlanner {

    /** Eligible rows per heap page from which the sweep beats the index walk. */
    static final double ROWS_PER_PAGE = 1.0;
    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\"\\s*:\\s*([0-9.e+]+)");

    enum Path {
        HEAP,
        INDEX,
        /** On Citus: shard by shard on the workers ({@link ShardPurge}), whatever the statistics. */
        SHARDS
    }

    /** A pass's path and the eligible rows the statistics expect it to find. */
    record Plan(Path path, long estimatedEligible) {
    }

    private final Database database;
    private final CachekeeperConfig config;
    private final String estimate;
    private static final String PAGES = """
            SELECT greatest(1, pg_relation_size('cache_entry') / current_setting('block_size')::int) AS pages
            """;

    public PurgePlanner(Database database, Lifecycle lifecycle, CachekeeperConfig config) {
        this.database = database;
        this.config = config;
        this.estimate = """
                EXPLAIN (FORMAT JSON) SELECT 1 FROM cache_entry WHERE %s OR %s
                """.formatted(lifecycle.purgeable(), lifecycle.stale());
    }

    Uni<Plan> plan() {
        if (config.citus().enabled()) {
            // The coordinator's own table is empty: its statistics say nothing of the shards' rows.
            return Uni.createFrom().item(new Plan(Path.SHARDS, 0));
        }
        return database.withConnection(connection -> connection.query(estimate).execute()
                .chain(explained -> connection.query(PAGES).execute().map(pages -> {
                    long eligible = planRows(explained.iterator().next().getValue("QUERY PLAN").toString());
                    long tablePages = pages.iterator().next().getLong("pages");
                    Strategy strategy = config.cleanup().strategy();
                    Path path = strategy == Strategy.HEAP ? Path.HEAP
                            : strategy == Strategy.INDEX ? Path.INDEX
                                    : eligible >= ROWS_PER_PAGE * tablePages ? Path.HEAP : Path.INDEX;
                    return new Plan(path, eligible);
                })));
    }

    /** The top plan node's row estimate, from EXPLAIN's JSON. */
    static long planRows(String explainJson) {
        Matcher m = PLAN_ROWS.matcher(explainJson);
        if (!m.find()) {
            throw new IllegalStateException("no row estimate in " + explainJson);
        }
        return (long) Double.parseDouble(m.group(1));
    }
}
