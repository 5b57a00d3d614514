package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.List;

import io.cachekeeper.database.NamedSql;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * The one mapping between an entry and its columns: the parameters a write binds ({@link #contentParams}) and how a
 * row a statement returned becomes an {@link EntryRow} ({@link #read}, {@link #readWritten}). The statements
 * themselves are written out in the SQL catalogue ({@code sql/entries.sql}); they name the columns as this class
 * does, the JSON columns as text ({@code request_headers::text AS request_headers}: written back out as they are,
 * never parsed), and {@code CatalogueEntryColumnsTest} holds every entry statement to the columns read here.
 */
public final class EntryColumns {

    /** Computed by a read: the {@link EntryState} as its JSON name. */
    static final String STATE = "state";
    /** Computed by a read: when the row becomes eligible for purging. */
    static final String PURGE_AFTER = "purge_after";
    /** The body in the row; selected by the statements that return it. */
    static final String RESPONSE_BODY = "response_body";
    /** A key lookup's: whether the row came with its body. */
    static final String FITS = "fits";

    /**
     * The stored columns every entry statement selects or returns, whatever else it adds after them
     * ({@link #STATE}, {@link #PURGE_AFTER}, {@link #RESPONSE_BODY}, {@link #FITS}).
     */
    static final List<String> STORED = List.of("id", "cache_key", "request_method", "request_url", "request_headers",
            "response_status", "response_headers", "metadata", "ttl_seconds", "created_at", "updated_at", "expires_at",
            "deleted_at", "version", "tags", "body_id", "body_size");

    private EntryColumns() {
    }

    /**
     * {@code params} with the content's values, by the names of their columns: {@code :ttl_seconds} its TTL (null:
     * none given), {@code :body_id} and {@code :body_size} its streamed body (null for a body in the JSON; the
     * write sets the size it found).
     */
    static NamedSql.Params contentParams(NamedSql.Params params, EntryContent c) {
        return params.set("cache_key", c.cacheKey())
                .set("request_method", c.requestMethod())
                .set("request_url", c.requestUrl())
                .set("request_headers", c.requestHeadersJson())
                .set("response_status", c.responseStatus())
                .set("response_headers", c.responseHeadersJson())
                .set("response_body", io.vertx.core.buffer.Buffer.buffer(c.body()))
                .set("metadata", c.metadataJson())
                .set("tags", column(c.tags()))
                .set("ttl_seconds", c.ttlSeconds())
                .set("body_id", c.bodyId())
                .set("body_size", c.bodySize());
    }

    /**
     * Where a result has each column, found by name once per result (a lookup by name per column and row was 1.4% of
     * the JVM's samples on GET, JFR): the stored ones, then those a statement adds (-1 when it has none).
     */
    record Layout(int[] stored, int state, int purgeAfter, int body, int fits) {

        static Layout of(RowSet<Row> rows) {
            List<String> names = rows.columnsNames();
            int[] stored = new int[STORED.size()];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = names.indexOf(STORED.get(i));
                if (stored[i] < 0) {
                    throw new IllegalStateException("an entry statement without the column " + STORED.get(i) + ": " + names);
                }
            }
            return new Layout(stored, names.indexOf(STATE), names.indexOf(PURGE_AFTER), names.indexOf(RESPONSE_BODY),
                    names.indexOf(FITS));
        }

        /** Whether a key lookup's row came with its body (true for a row of any other statement). */
        boolean fits(Row r) {
            return fits < 0 || r.getBoolean(fits);
        }

        private int at(int column) {
            return stored[column];
        }
    }

    // Each stored column's place in STORED.
    private static final int ID = 0, CACHE_KEY = 1, REQUEST_METHOD = 2, REQUEST_URL = 3, REQUEST_HEADERS = 4,
            RESPONSE_STATUS = 5, RESPONSE_HEADERS = 6, METADATA = 7, TTL_SECONDS = 8, CREATED_AT = 9, UPDATED_AT = 10,
            EXPIRES_AT = 11, DELETED_AT = 12, VERSION = 13, TAGS = 14, BODY_ID = 15, BODY_SIZE = 16;

    /** Every row of a read ({@link #read}). */
    public static List<EntryRow> rows(RowSet<Row> rows) {
        Layout layout = Layout.of(rows);
        List<EntryRow> out = new java.util.ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(read(row, layout));
        }
        return out;
    }

    /** Reads a row of a read, which computed its state and purgeAfter over the database's clock. */
    static EntryRow read(Row r, Layout layout) {
        return row(r, layout, r.getOffsetDateTime(layout.purgeAfter()), EntryState.of(r.getString(layout.state())));
    }

    /**
     * Reads a row a write returned: its state and purgeAfter by the lifecycle rules at the instant the write set
     * {@code updated_at} to.
     */
    static EntryRow readWritten(Row r, Layout layout, Lifecycle lifecycle) {
        Lifecycle.Clock clock = lifecycle.at(r.getOffsetDateTime(layout.at(UPDATED_AT)));
        OffsetDateTime deletedAt = r.getOffsetDateTime(layout.at(DELETED_AT));
        OffsetDateTime expiresAt = r.getOffsetDateTime(layout.at(EXPIRES_AT));
        return row(r, layout, clock.purgeAfter(deletedAt, expiresAt), clock.state(deletedAt, expiresAt));
    }

    private static EntryRow row(Row r, Layout l, OffsetDateTime purgeAfter, EntryState state) {
        Buffer body = l.body() < 0 ? null : r.getBuffer(l.body());
        EntryContent content = new EntryContent(r.getUUID(l.at(ID)), r.getString(l.at(CACHE_KEY)),
                r.getString(l.at(REQUEST_METHOD)), r.getString(l.at(REQUEST_URL)), r.getString(l.at(REQUEST_HEADERS)),
                r.getInteger(l.at(RESPONSE_STATUS)), r.getString(l.at(RESPONSE_HEADERS)),
                body == null ? null : body.getBytes(), r.getString(l.at(METADATA)), r.getLong(l.at(TTL_SECONDS)),
                tags(r.getArrayOfStrings(l.at(TAGS))), r.getUUID(l.at(BODY_ID)), r.getLong(l.at(BODY_SIZE)));
        return new EntryRow(content, r.getOffsetDateTime(l.at(CREATED_AT)), r.getOffsetDateTime(l.at(EXPIRES_AT)),
                r.getOffsetDateTime(l.at(DELETED_AT)), purgeAfter, state, r.getLong(l.at(VERSION)));
    }

    /** The column's value as the entry's tags (NULL: none). */
    static List<String> tags(String[] column) {
        return column == null ? List.of() : List.of(column);
    }

    /** The entry's tags as the column's value: NULL when it has none, so that an untagged row stores nothing. */
    static String[] column(List<String> tags) {
        return tags.isEmpty() ? null : tags.toArray(String[]::new);
    }
}
