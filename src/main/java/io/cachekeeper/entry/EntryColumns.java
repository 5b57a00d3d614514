package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.List;

import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;

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

    /** Where a read's computed state is, and its purgeAfter after it. */
    private static final int STATE_AT = STORED.size();
    private static final int PURGE_AFTER_AT = STATE_AT + 1;

    /** Where the body is in a read that selects it after {@link #select}. */
    static final int BODY_POSITION = PURGE_AFTER_AT + 1;

    /** Where the body is in a write's {@code RETURNING} that returns it after {@link #written}. */
    static final int WRITTEN_BODY_POSITION = STORED.size();

    // Each column's place in STORED, resolved once: a lookup by name per column and row was 1.4% of the
    // JVM's samples on GET (JFR).
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
     * Reads a row of a read that selects {@link #select} (then the body at {@link #BODY_POSITION}, when
     * {@code withBody}), by column name: each name's position is its place in that one list.
     */
    static EntryRow read(Row r, boolean withBody) {
        return row(r, withBody ? r.getBuffer(BODY_POSITION) : null, r.getOffsetDateTime(PURGE_AFTER_AT),
                EntryState.of(r.getString(STATE_AT)));
    }

    /**
     * Reads a row a write returned ({@link #written}, then the body when {@code withBody}): its state and
     * purgeAfter by the lifecycle rules at the instant the write set {@code updated_at} to.
     */
    static EntryRow readWritten(Row r, boolean withBody, Lifecycle lifecycle) {
        Lifecycle.Clock clock = lifecycle.at(r.getOffsetDateTime(UPDATED_AT_AT));
        OffsetDateTime deletedAt = r.getOffsetDateTime(DELETED_AT_AT);
        OffsetDateTime expiresAt = r.getOffsetDateTime(EXPIRES_AT_AT);
        return row(r, withBody ? r.getBuffer(WRITTEN_BODY_POSITION) : null, clock.purgeAfter(deletedAt, expiresAt),
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
