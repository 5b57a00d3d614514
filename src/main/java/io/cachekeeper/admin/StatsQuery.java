package io.cachekeeper.admin;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.entry.EntryColumns;
import io.cachekeeper.entry.Lifecycle;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Counts rows and body bytes of each lifecycle state in one scan, with the predicates of
 * {@link Lifecycle}. An exact scan, not a maintained counter: on 1,000,000 rows it answers in well under
 * a second (docs/performance.md), and a counter would add a write to every API call.
 * {@code octet_length} of a bytea reads its stored length, not the body.
 */
@ApplicationScoped
public class StatsQuery {

    /**
     * The streamed bodies: their chunks' bytes (an unfinished upload has no size yet) and which no entry holds.
     * {@code octet_length} of a chunk reads its stored length. Every join names the key (and on Citus the route,
     * {@code %1$s}), so that each shard answers for its own bodies.
     */
    private static final String STREAMED = """
            SELECT count(*) AS bodies, coalesce(sum(bytes), 0)::bigint AS bytes,
                   count(*) FILTER (WHERE unheld) AS unheld_bodies,
                   coalesce(sum(bytes) FILTER (WHERE unheld), 0)::bigint AS unheld_bytes
            FROM (SELECT coalesce(b.size, (SELECT sum(octet_length(data)) FROM cache_body_chunk c
                                                   WHERE c.cache_key = b.cache_key%1$s AND c.body_id = b.id)) AS bytes,
                         NOT EXISTS (SELECT 1 FROM cache_entry e
                                     WHERE e.cache_key = b.cache_key%2$s AND e.body_id = b.id) AS unheld
                  FROM cache_body b) AS body
            """;

    private final Database database;
    private final CachekeeperConfig config;
    private final String sql;
    private final String streamed;

    public StatsQuery(Database database, Lifecycle lifecycle, CachekeeperConfig config) {
        this.database = database;
        this.config = config;
        boolean citus = config.citus().enabled();
        this.streamed = STREAMED.formatted(citus ? " AND c.route = b.route" : "", citus ? " AND e.route = b.route" : "");
        // One scan: the total, then each state's rows and body bytes, named <state>_entries and <state>_bytes.
        String byState = """
                count(*) FILTER (WHERE %2$s) AS %1$s_entries,
                coalesce(sum(%3$s) FILTER (WHERE %2$s), 0)::bigint AS %1$s_bytes""";
        this.sql = """
                SELECT count(*) AS total_entries, %s AS total_bytes,
                %s,
                %s,
                %s,
                %s
                FROM cache_entry
                """.formatted(EntryColumns.BODY_BYTES,
                byState.formatted("live", lifecycle.live(), EntryColumns.SIZE),
                byState.formatted("expired", lifecycle.expired(), EntryColumns.SIZE),
                byState.formatted("deleted", lifecycle.deleted(), EntryColumns.SIZE),
                byState.formatted("purgeable", lifecycle.purgeable(), EntryColumns.SIZE));
    }

    public Uni<StoreStats> stats() {
        return database.execute(streamed).chain(rows -> {
            Row r = rows.iterator().next();
            return stats(new StoreStats.Streamed(r.getLong("bodies"), r.getLong("bytes"), r.getLong("unheld_bodies"),
                    r.getLong("unheld_bytes")));
        });
    }

    private Uni<StoreStats> stats(StoreStats.Streamed streamed) {
        return database.execute(sql).map(rows -> {
            Row r = rows.iterator().next();
            long total = r.getLong("total_entries");
            long bytes = r.getLong("total_bytes");
            Long maxEntries = config.maxEntries().orElse(null);
            Long maxSize = config.maxTotalSize().map(MemorySize::asLongValue).orElse(null);
            return new StoreStats(total, r.getLong("live_entries"), r.getLong("expired_entries"),
                    r.getLong("deleted_entries"), r.getLong("purgeable_entries"),
                    new StoreStats.Bytes(bytes, r.getLong("live_bytes"), r.getLong("expired_bytes"),
                            r.getLong("deleted_bytes"), r.getLong("purgeable_bytes")),
                    new StoreStats.Caps(maxEntries, maxEntries == null ? null : (double) total / maxEntries,
                            maxSize, maxSize == null ? null : (double) bytes / maxSize),
                    streamed);
        });
    }
}
