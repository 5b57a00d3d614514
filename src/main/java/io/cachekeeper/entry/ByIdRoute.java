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
 * {@code cache_entry} is distributed by its {@link Route}, so a condition on the id alone would reach every
 * shard: the statement names the route too (one shard). The route is the one the id names, unless the id map
 * {@code cache_entry_id} (distributed by id: one shard) holds the id, for an entry whose id does not name its
 * route (a client's own id, an entry moved to another key): then the route of the key it maps to. Two
 * single-shard statements instead of one that reaches all 32.
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

    /** The row's condition: {@code :id} and, on Citus, {@code :entry_route}, which {@link #execute} sets. */
    public String condition() {
        return citus ? "id = :id AND route = :entry_route::int" : "id = :id";
    }

    /**
     * The route of the entry {@code id} on Citus: the key its id map row names, or else the id's own. Its
     * connection-less form, {@link #execute}, is the usual one; this one serves a transaction's statements.
     */
    static int routeOf(UUID id, RowSet<Row> located) {
        var it = located.iterator();
        return it.hasNext() ? Route.ofKey(it.next().getString("cache_key")) : Route.ofId(id);
    }

    /** Runs a statement whose condition is {@link #condition} for the entry {@code id} ({@code :id} is set here). */
    public Uni<RowSet<Row>> execute(UUID id, NamedSql sql, NamedSql.Params params) {
        params.set("id", id);
        if (!citus) {
            return database.execute(sql, params);
        }
        return database.execute(LOCATE, Tuple.of(id))
                .chain(located -> database.execute(sql, params.set("entry_route", routeOf(id, located))));
    }
}
