package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

import io.cachekeeper.database.NamedSql;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * The columns of {@code cache_entry} by name, in one place: the entity {@link CacheEntry} maps them, the
 * repository's statements select them ({@link #select}) and {@link #read} reads rows by these names.
 * The JSON columns travel as text (written back out as they are, never parsed); {@link #STATE} and
 * {@link #PURGE_AFTER} are computed by the statement over the database's clock ({@link Lifecycle}).
 */
public final class EntryColumns {

    public static final String ID = "id";
    public static final String CACHE_KEY = "cache_key";
    public static final String REQUEST_METHOD = "request_method";
    public static final String REQUEST_URL = "request_url";
    public static final String REQUEST_HEADERS = "request_headers";
    public static final String RESPONSE_STATUS = "response_status";
    public static final String RESPONSE_HEADERS = "response_headers";
    public static final String RESPONSE_BODY = "response_body";
    public static final String METADATA = "metadata";
    public static final String TTL_SECONDS = "ttl_seconds";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String EXPIRES_AT = "expires_at";
    public static final String DELETED_AT = "deleted_at";
    public static final String VERSION = "version";
    /** The entry's tags ({@code text[]}), NULL when it has none. */
    public static final String TAGS = "tags";
    /** The entry's streamed body ({@code cache_body}), NULL when the body is {@link #RESPONSE_BODY}. */
    public static final String BODY_ID = "body_id";
    /** The streamed body's size in bytes, NULL when there is none. */
    public static final String BODY_SIZE = "body_size";
    /** Computed: the {@link EntryState} as its JSON name. */
    public static final String STATE = "state";
    /** Computed: when the row becomes eligible for purging. */
    public static final String PURGE_AFTER = "purge_after";

    /**
     * The bytes of a row's body, stored in the row or streamed ({@code octet_length} reads the size, not the
     * body): what the size caps and the statistics count.
     */
    public static final String SIZE = "(octet_length(" + RESPONSE_BODY + ") + coalesce(" + BODY_SIZE + ", 0))";

    /** The bytes of the bodies of the rows it aggregates ({@link #SIZE}). */
    public static final String BODY_BYTES = "coalesce(sum(" + SIZE + "), 0)::bigint";

    /**
     * The stored columns the repository's statements select of an entry, in this order. A read selects
     * {@link #STATE} and {@link #PURGE_AFTER} after them, computed over the database clock; a write's
     * {@code RETURNING} does not (Citus refuses {@code now()} there) and the state is judged in Java at
     * the clock the write itself read: the {@link #UPDATED_AT} it set to {@code now()}.
     */
    private static final List<String> STORED = List.of(ID, CACHE_KEY, REQUEST_METHOD, REQUEST_URL, REQUEST_HEADERS,
            RESPONSE_STATUS, RESPONSE_HEADERS, METADATA, TTL_SECONDS, CREATED_AT, UPDATED_AT, EXPIRES_AT, DELETED_AT,
            VERSION, TAGS, BODY_ID, BODY_SIZE);

    /**
     * A column of the content a client writes: its name, which is also its statement parameter's
     * ({@code :name}), the cast that parameter takes, and its value in an {@link EntryContent}.
     */
    record ContentColumn(String name, String cast, Function<EntryContent, Object> value) {
    }

    /**
     * The content's columns, in one place: insert, replace and move write them from here ({@link #contentColumns},
     * {@link #contentValues}, {@link #contentAssignments}, {@link #contentParams}), so a new content column is one
     * entry here, read back in {@link #row}. The JSON columns travel as text; the key comes first (a replace
     * assigns it only when it changes); the TTL is not among them (a replace without one keeps the entry's).
     */
    private static final List<ContentColumn> CONTENT = List.of(
            new ContentColumn(CACHE_KEY, "", EntryContent::cacheKey),
            new ContentColumn(REQUEST_METHOD, "", EntryContent::requestMethod),
            new ContentColumn(REQUEST_URL, "", EntryContent::requestUrl),
            new ContentColumn(REQUEST_HEADERS, "::text::jsonb", EntryContent::requestHeadersJson),
            new ContentColumn(RESPONSE_STATUS, "", EntryContent::responseStatus),
            new ContentColumn(RESPONSE_HEADERS, "::text::jsonb", EntryContent::responseHeadersJson),
            new ContentColumn(RESPONSE_BODY, "", c -> io.vertx.core.buffer.Buffer.buffer(c.body())),
            new ContentColumn(METADATA, "::text::jsonb", EntryContent::metadataJson),
            new ContentColumn(TAGS, "::text[]", c -> column(c.tags())));

    /** The content's column names, for an insert's column list. */
    static String contentColumns() {
        return String.join(", ", CONTENT.stream().map(ContentColumn::name).toList());
    }

    /** The content's parameters, cast, in the order of {@link #contentColumns}: an insert's values. */
    static String contentValues() {
        return String.join(", ", CONTENT.stream().map(c -> ":" + c.name() + c.cast()).toList());
    }

    /** A replace's assignments of the content, the key aside ({@code column = :column}). */
    static String contentAssignments() {
        return String.join(", ", CONTENT.stream().filter(c -> !c.name().equals(CACHE_KEY))
                .map(c -> c.name() + " = :" + c.name() + c.cast()).toList());
    }

    /** A replace's assignments of the content, the key and the body aside: a replace that keeps the body. */
    static String contentAssignmentsKeepingBody() {
        return String.join(", ", CONTENT.stream().filter(c -> !c.name().equals(CACHE_KEY) && !c.name().equals(RESPONSE_BODY))
                .map(c -> c.name() + " = :" + c.name() + c.cast()).toList());
    }

    /** {@code params} with the content's values, and {@code :ttl_seconds} its TTL (null: none given). */
    static NamedSql.Params contentParams(NamedSql.Params params, EntryContent content) {
        for (ContentColumn column : CONTENT) {
            params.set(column.name(), column.value().apply(content));
        }
        return params.set(TTL_SECONDS, content.ttlSeconds());
    }

    // Each stored column's place in STORED, which every statement selects first and in this order, resolved
    // once: a lookup by name per column and row was 1.4% of the JVM's samples on GET (JFR). What a statement
    // selects after them (Extras) is found by name once per result.
    private static final int ID_AT = at(ID);
    private static final int CACHE_KEY_AT = at(CACHE_KEY);
    private static final int REQUEST_METHOD_AT = at(REQUEST_METHOD);
    private static final int REQUEST_URL_AT = at(REQUEST_URL);
    private static final int REQUEST_HEADERS_AT = at(REQUEST_HEADERS);
    private static final int RESPONSE_STATUS_AT = at(RESPONSE_STATUS);
    private static final int RESPONSE_HEADERS_AT = at(RESPONSE_HEADERS);
    private static final int METADATA_AT = at(METADATA);
    private static final int TTL_SECONDS_AT = at(TTL_SECONDS);
    private static final int CREATED_AT_AT = at(CREATED_AT);
    private static final int UPDATED_AT_AT = at(UPDATED_AT);
    private static final int EXPIRES_AT_AT = at(EXPIRES_AT);
    private static final int DELETED_AT_AT = at(DELETED_AT);
    private static final int VERSION_AT = at(VERSION);
    private static final int TAGS_AT = at(TAGS);
    private static final int BODY_ID_AT = at(BODY_ID);
    private static final int BODY_SIZE_AT = at(BODY_SIZE);

    private EntryColumns() {
    }

    /** What a write returns of an entry without its body: the stored columns, JSON as text. */
    static String written() {
        return String.join(", ", STORED.stream().map(column -> switch (column) {
            case REQUEST_HEADERS, RESPONSE_HEADERS, METADATA -> column + "::text AS " + column;
            default -> column;
        }).toList());
    }

    /** {@link #written} with the body after it. */
    static String writtenWithBody() {
        return written() + ", " + RESPONSE_BODY;
    }

    /** The select list of a read without its body: {@link #written}, then state and purgeAfter computed. */
    static String select(Lifecycle lifecycle) {
        return written() + ", " + lifecycle.stateColumn() + " AS " + STATE + ", " + lifecycle.purgeAfterColumn()
                + " AS " + PURGE_AFTER;
    }

    /** {@link #select} with the body after it. */
    static String selectWithBody(Lifecycle lifecycle) {
        return select(lifecycle) + ", " + RESPONSE_BODY;
    }

    /**
     * Where a result has the columns its statement selects after the stored ones (each -1 when it has none):
     * the computed state and purgeAfter (a read's), the body, and a key lookup's {@code fits}. Found by name
     * once per result, so that no statement's layout is counted by hand.
     */
    record Extras(int state, int purgeAfter, int body, int fits) {

        static Extras of(RowSet<Row> rows) {
            List<String> names = rows.columnsNames();
            return new Extras(names.indexOf(STATE), names.indexOf(PURGE_AFTER), names.indexOf(RESPONSE_BODY),
                    names.indexOf(KeyLookupStatements.FITS));
        }

        /** Whether a key lookup's row came with its body (true for a row of any other statement). */
        boolean fits(Row r) {
            return fits < 0 || r.getBoolean(fits);
        }
    }

    /** Reads a row of a read ({@link #select}, then the body if it selects it); its state as the statement computed it. */
    static EntryRow read(Row r, Extras extras) {
        return row(r, extras.body() < 0 ? null : r.getBuffer(extras.body()), r.getOffsetDateTime(extras.purgeAfter()),
                EntryState.of(r.getString(extras.state())));
    }

    /**
     * Reads a row a write returned ({@link #written}, then the body if it returns it): its state and
     * purgeAfter by the lifecycle rules at the instant the write set {@code updated_at} to.
     */
    static EntryRow readWritten(Row r, Extras extras, Lifecycle lifecycle) {
        Lifecycle.Clock clock = lifecycle.at(r.getOffsetDateTime(UPDATED_AT_AT));
        OffsetDateTime deletedAt = r.getOffsetDateTime(DELETED_AT_AT);
        OffsetDateTime expiresAt = r.getOffsetDateTime(EXPIRES_AT_AT);
        return row(r, extras.body() < 0 ? null : r.getBuffer(extras.body()), clock.purgeAfter(deletedAt, expiresAt),
                clock.state(deletedAt, expiresAt));
    }

    private static EntryRow row(Row r, Buffer body, OffsetDateTime purgeAfter, EntryState state) {
        EntryContent content = new EntryContent(r.getUUID(ID_AT), r.getString(CACHE_KEY_AT),
                r.getString(REQUEST_METHOD_AT), r.getString(REQUEST_URL_AT), r.getString(REQUEST_HEADERS_AT),
                r.getInteger(RESPONSE_STATUS_AT), r.getString(RESPONSE_HEADERS_AT),
                body == null ? null : body.getBytes(), r.getString(METADATA_AT), r.getLong(TTL_SECONDS_AT),
                tags(r.getArrayOfStrings(TAGS_AT)), r.getUUID(BODY_ID_AT), r.getLong(BODY_SIZE_AT));
        return new EntryRow(content, r.getOffsetDateTime(CREATED_AT_AT), r.getOffsetDateTime(EXPIRES_AT_AT),
                r.getOffsetDateTime(DELETED_AT_AT), purgeAfter, state, r.getLong(VERSION_AT));
    }

    /** The column's value as the entry's tags (NULL: none). */
    static List<String> tags(String[] column) {
        return column == null ? List.of() : List.of(column);
    }

    /** The entry's tags as the column's value: NULL when it has none, so that an untagged row stores nothing. */
    static String[] column(List<String> tags) {
        return tags.isEmpty() ? null : tags.toArray(String[]::new);
    }

    private static int at(String column) {
        int position = STORED.indexOf(column);
        if (position < 0) {
            throw new IllegalStateException(column + " is not selected");
        }
        return position;
    }
}
