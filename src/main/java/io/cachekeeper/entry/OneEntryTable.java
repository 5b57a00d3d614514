package io.cachekeeper.entry;

import java.util.function.BiFunction;

import io.cachekeeper.database.Database;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** The entries in one table, {@code cache_entry}, reached through the service's pool. */
public final class OneEntryTable implements EntryTables {

    private final Database database;

    public OneEntryTable(Database database) {
        this.database = database;
    }

    @Override
    public Uni<Void> forEach(BiFunction<String, SqlConnection, Uni<Void>> work) {
        return database.session(connection -> work.apply("cache_entry", connection));
    }
}
