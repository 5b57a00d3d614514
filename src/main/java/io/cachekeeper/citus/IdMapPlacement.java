package io.cachekeeper.citus;

import java.util.UUID;

import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.entry.IdPlacement;
import io.cachekeeper.entry.Route;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The entries on Citus, distributed by their {@link Route}: a statement on one row names the route too, or it would
 * reach every shard. The route is the one the id names, unless the id map {@code cache_entry_id} (distributed by
 * id: one shard) holds the id, for an entry whose id does not name its route (a client's own id, an entry moved to
 * another key): then the route of the key it maps to. Two single-shard statements instead of one that reaches all
 * of them. The map's primary key keeps a client's ids unique across the shards, and a move to another key takes
 * the row out of its shard and puts it in the new key's, since Citus does not assign the distribution column.
 */
final class IdMapPlacement implements IdPlacement {

    /** The advisory lock keys of a client's id being claimed are (this, the id's hashtext): "ckid". */
    static final int ID_LOCK_CLASS = 0x636b_6964;

    private final Database database;
    private final NamedSql lock;
    private final NamedSql locate;
    private final NamedSql add;
    private final NamedSql point;
    private final NamedSql remove;
    private final NamedSql inIdRoute;
    private final NamedSql underKey;
    private final NamedSql takeOut;
    private final NamedSql moveInKeepingTtl;
    private final NamedSql moveInRestartingTtl;

    IdMapPlacement(Database database, SqlCatalogue catalogue) {
        this.database = database;
        this.lock = catalogue.get("id-map-lock");
        this.locate = catalogue.get("id-map-locate");
        this.add = catalogue.get("id-map-add");
        this.point = catalogue.get("id-map-point");
        this.remove = catalogue.get("id-map-remove");
        this.inIdRoute = catalogue.get("entry-in-id-route");
        this.underKey = catalogue.get("entry-under-key");
        this.takeOut = catalogue.get("entry-take-out");
        this.moveInKeepingTtl = catalogue.get("entry-move-in-keeping-ttl");
        this.moveInRestartingTtl = catalogue.get("entry-move-in-restarting-ttl");
    }

    @Override
    public Uni<RowSet<Row>> byId(UUID id, NamedSql sql, Params params) {
        params.set("id", id);
        return database.execute(locate, new Params().set("id", id))
                .chain(located -> database.execute(sql, params.set("entry_route", routeOf(id, located))));
    }

    /** The route of the entry {@code id}: the key its id map row names, or else the id's own. */
    private static int routeOf(UUID id, RowSet<Row> located) {
        var it = located.iterator();
        return it.hasNext() ? Route.ofKey(it.next().getString("cache_key")) : Route.ofId(id);
    }

    @Override
    public boolean claimsClientIds() {
        return true;
    }

    /**
     * A client's id lives in the id map unless it names the new entry's route; an entry of it that is not in the
     * map is in the route the id names. A map row whose entry is gone (a pass that died before it removed the map
     * rows of the entries it purged, cleanup/ShardPurge) is taken over.
     */
    @Override
    public Uni<Boolean> claim(SqlConnection connection, UUID id, String cacheKey) {
        boolean routed = Route.routes(id, cacheKey);
        Params ofId = new Params().set("id", id).set("lock_class", ID_LOCK_CLASS);
        return Database.run(connection, lock, ofId)
                .chain(() -> Database.run(connection, locate, ofId))
                .chain(located -> {
                    var it = located.iterator();
                    if (it.hasNext()) {
                        String key = it.next().getString("cache_key");
                        return Database.run(connection, underKey, new Params().set("id", id).set("cache_key", key))
                                .chain(found -> found.size() > 0 ? Uni.createFrom().item(false)
                                        : follow(connection, id, cacheKey).replaceWith(true));
                    }
                    if (routed) {
                        return Uni.createFrom().item(true); // the insert's own conflict tells, in that route
                    }
                    return Database.run(connection, inIdRoute, ofId)
                            .chain(found -> found.size() > 0 ? Uni.createFrom().item(false)
                                    : Database.run(connection, add, new Params().set("id", id).set("cache_key", cacheKey))
                                            .map(mapped -> mapped.size() > 0));
                });
    }

    /**
     * In one transaction: the row taken out of its route with the replace's conditions, put in under the new key
     * with the content, the old row's created_at and next version (and its expiry when the TTL is kept), and the id
     * map pointed at it, or its row removed when the id names the new key's route.
     */
    @Override
    public Uni<RowSet<Row>> moveKey(SqlConnection connection, UUID id, String cacheKey, Params replace, boolean keepTtl) {
        Params ofId = new Params().set("id", id).set("lock_class", ID_LOCK_CLASS);
        return Database.run(connection, lock, ofId)
                .chain(() -> Database.run(connection, locate, ofId))
                .chain(located -> Database.run(connection, takeOut,
                        replace.set("from_route", routeOf(id, located))))
                .chain(taken -> {
                    var old = taken.iterator();
                    if (!old.hasNext()) {
                        return Uni.createFrom().item(taken);
                    }
                    Row was = old.next();
                    if (keepTtl) {
                        replace.set("ttl_seconds", was.getLong("ttl_seconds"));
                    }
                    replace.set("created_at", was.getOffsetDateTime("created_at"))
                            .set("version", was.getLong("version") + 1)
                            .set("expires_at", was.getOffsetDateTime("expires_at"));
                    return Database.run(connection, keepTtl ? moveInKeepingTtl : moveInRestartingTtl, replace)
                            .call(() -> follow(connection, id, cacheKey));
                });
    }

    /** The id map after an entry of {@code id} came to {@code cacheKey}: pointed at it, or none if the id names its route. */
    private Uni<RowSet<Row>> follow(SqlConnection connection, UUID id, String cacheKey) {
        return Route.routes(id, cacheKey) ? Database.run(connection, remove, new Params().set("id", id))
                : Database.run(connection, point, new Params().set("id", id).set("cache_key", cacheKey));
    }
}
