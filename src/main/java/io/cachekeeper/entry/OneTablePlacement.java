package io.cachekeeper.entry;

import java.util.UUID;

import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.SqlCatalogue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The entries in one table: the primary key finds a row by its id alone and keeps ids unique, and a replace moves
 * a row to another key in one UPDATE.
 */
public final class OneTablePlacement implements IdPlacement {

    private final Database database;
    private final NamedSql moveKeepingTtl;
    private final NamedSql moveRestartingTtl;

    public OneTablePlacement(Database database, SqlCatalogue catalogue) {
        this.database = database;
        this.moveKeepingTtl = catalogue.get("entry-move-key-keeping-ttl");
        this.moveRestartingTtl = catalogue.get("entry-move-key-restarting-ttl");
    }

    @Override
    public Uni<RowSet<Row>> byId(UUID id, NamedSql sql, NamedSql.Params params) {
        return database.execute(sql, params.set("id", id));
    }

    @Override
    public boolean claimsClientIds() {
        return false;
    }

    @Override
    public Uni<Boolean> claim(SqlConnection connection, UUID id, String cacheKey) {
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<RowSet<Row>> moveKey(SqlConnection connection, UUID id, String cacheKey, NamedSql.Params replace,
            boolean keepTtl) {
        return Database.run(connection, keepTtl ? moveKeepingTtl : moveRestartingTtl, replace);
    }
}
