package io.cachekeeper.entry;

import java.util.function.BiFunction;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The tables that hold the entries, for work that goes table by table rather than through one statement over the
 * store (the recycle bin's bulk restore): {@code cache_entry} itself, or on a store distributed by route each
 * shard's own table, on the server that holds it, where its statements are plain PostgreSQL. Chosen when the
 * service starts (the Placements producer).
 */
public interface EntryTables {

    /**
     * Runs {@code work} on each table, one after the other, with the table's name and a session on the server that
     * holds it; the session's connection goes back when the work ends, failed or not.
     */
    Uni<Void> forEach(BiFunction<String, SqlConnection, Uni<Void>> work);
}
