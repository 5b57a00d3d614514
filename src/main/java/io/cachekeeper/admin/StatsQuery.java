package io.cachekeeper.admin;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.SqlCatalogue;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Counts rows and body bytes of each lifecycle state in one scan, with the predicates of
 * the catalogue's lifecycle ({@code sql/admin.sql}, {@code stats-by-state}). An exact scan, not a maintained counter: on
 * 1,000,000 rows it answers in well under
 * a second (docs/performance.md), and a counter would add a write to every API call.
 * {@code octet_length} of a bytea reads its stored length, not the body.
 */
@ApplicationScoped
public class StatsQuery {

    private final Database database;
    private final CachekeeperConfig config;
    private final NamedSql byState;
    private final NamedSql streamed;

    public StatsQuery(Database database, SqlCatalogue catalogue, CachekeeperConfig config) {
        this.database = database;
        this.config = config;
        this.byState = catalogue.get("stats-by-state");
        this.streamed = catalogue.get("stats-streamed");
    }

    public Uni<StoreStats> stats() {
        return database.execute(streamed).chain(rows -> {
            Row r = rows.iterator().next();
            return stats(new StoreStats.Streamed(r.getLong("bodies"), r.getLong("bytes"), r.getLong("unheld_bodies"),
                    r.getLong("unheld_bytes")));
        });
    }

    private Uni<StoreStats> stats(StoreStats.Streamed streamed) {
        return database.execute(byState).map(rows -> {
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
