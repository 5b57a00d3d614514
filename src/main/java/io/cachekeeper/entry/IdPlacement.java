package io.cachekeeper.entry;

import java.util.UUID;

import io.cachekeeper.database.NamedSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Where an entry's row lives, as far as its id tells: the part of the store that differs between one table and a
 * store distributed by route (docs/scale.md). One implementation is chosen when the service starts
 * (the Placements producer); the repository runs the same code either way.
 */
public interface IdPlacement {

    /**
     * Runs a statement on the row of {@code id} (its {@code :id} set here, and whatever else the statement's form
     * for this store names to find the row).
     */
    Uni<RowSet<Row>> byId(UUID id, NamedSql sql, NamedSql.Params params);

    /** Whether a new entry with the client's own id must first claim it ({@link #claim}), in the insert's transaction. */
    boolean claimsClientIds();

    /** Claims a client's id for a new entry of {@code cacheKey}, in the insert's transaction: false when an entry has it. */
    Uni<Boolean> claim(SqlConnection connection, UUID id, String cacheKey);

    /**
     * The replace of the row of {@code id} that is under another key than {@code cacheKey}, in the caller's
     * transaction: {@code replace} holds the replace's parameters (the content, {@code :if_match}, the streamed
     * body's). The written row, or none when the row is not under another key or the conditions do not hold.
     */
    Uni<RowSet<Row>> moveKey(SqlConnection connection, UUID id, String cacheKey, NamedSql.Params replace, boolean keepTtl);
}
