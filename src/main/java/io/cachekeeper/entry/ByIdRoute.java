package io.cachekeeper.entry;

import java.util.UUID;

import io.cachekeeper.database.Database;
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

    /** The row's condition, {@code $1} the id and, on Citus, {@code $keyParameter} its key. */
    public String condition(int keyParameter) {
        return citus ? "id = $1 AND cache_key = $" + keyParameter : "id = $1";
    }

    /**
     * Runs a statement whose condition is {@link #condition}, {@code args} its parameters before the key. On
     * Citus, an id the map does not hold gives no row, as the statement would.
     */
    public Uni<RowSet<Row>> execute(UUID id, String sql, Tuple args) {
        if (!citus) {
            return database.execute(sql, args);
        }
        return database.execute(LOCATE, Tuple.of(id)).chain(located -> {
            var it = located.iterator();
            return it.hasNext() ? database.execute(sql, args.addString(it.next().getString("cache_key")))
                    : Uni.createFrom().item(located);
        });
    }
}
