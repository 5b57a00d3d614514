package io.cachekeeper.entry;

import java.util.UUID;

import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How a by-id statement finds its row. On PostgreSQL by {@code id} alone, in the one statement. On Citus
 * {@code cache_entry} is distributed by {@code cache_key}, so a condition on the id alone would reach every
 * shard: the key is read first from the id map {@code cache_entry_id} (distributed by id: one shard), and
 * the statement names it too (one shard). Two single-shard statements instead of one that reaches all 32.
 */
public final class ByIdRoute {

    /** $1 id. */
    static final String LOCATE = "SELECT cache_key FROM cache_entry_id WHERE id = $1";

    private final Database database;
    private final boolean citus;

    public ByIdRoute(Database database, boolean citus) {
        this.database = database;
        this.citus = citus;
    }

    boolean citus() {
        return citus;
    }

    /** The row's condition: {@code :id} and, on Citus, {@code :entry_key}, which {@link #execute} sets. */
    public String condition() {
        return citus ? "id = :id AND cache_key = :entry_key" : "id = :id";
    }

    /**
     * Runs a statement whose condition is {@link #condition} for the entry {@code id} ({@code :id} is set
     * here). On Citus, an id the map does not hold gives no row, as the statement would.
     */
    public Uni<RowSet<Row>> execute(UUID id, NamedSql sql, NamedSql.Params params) {
        params.set("id", id);
        if (!citus) {
            return database.execute(sql, params);
        }
        return database.execute(LOCATE, Tuple.of(id)).chain(located -> {
            var it = located.iterator();
            return it.hasNext() ? database.execute(sql, params.set("entry_key", it.next().getString("cache_key")))
                    : Uni.createFrom().item(located);
        });
    }
}
