package io.cachekeeper.entry;

import java.util.List;

import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The columns of {@code cache_entry} by name, in one place: the entity {@link CacheEntry} maps them, the
 * repository's statements select them ({@link #select}) and {@link Reader} reads rows by these names.
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
    /** Computed: the {@link EntryState} as its JSON name. */
    public static final String STATE = "state";
    /** Computed: when the row becomes eligible for purging. */
    public static final String PURGE_AFTER = "purge_after";

    /** What the repository's statements select of an entry, in this order; the body, when asked for, follows. */
    private static final List<String> SELECTED = List.of(ID, CACHE_KEY, REQUEST_METHOD, REQUEST_URL, REQUEST_HEADERS,
            RESPONSE_STATUS, RESPONSE_HEADERS, METADATA, TTL_SECONDS, CREATED_AT, EXPIRES_AT, DELETED_AT, VERSION,
            STATE, PURGE_AFTER);

    /** Reads the rows of a statement that selects {@link #select} (and nothing after it but other columns). */
    static final Reader WITHOUT_BODY = new Reader(SELECTED);
    /** Reads the rows of a statement that selects {@link #select}, then {@link #RESPONSE_BODY}. */
    static final Reader WITH_BODY = new Reader(with(SELECTED, RESPONSE_BODY));

    private EntryColumns() {
    }

    /** The select list of an entry without its body, JSON as text, state and purgeAfter computed. */
    static String select(Lifecycle lifecycle) {
        return String.join(", ", SELECTED.stream().map(column -> switch (column) {
            case REQUEST_HEADERS, RESPONSE_HEADERS, METADATA -> column + "::text AS " + column;
            case STATE -> lifecycle.stateColumn() + " AS " + STATE;
            case PURGE_AFTER -> lifecycle.purgeAfterColumn() + " AS " + PURGE_AFTER;
            default -> column;
        }).toList());
    }

    /** {@link #select} with the body after it. */
    static String selectWithBody(Lifecycle lifecycle) {
        return select(lifecycle) + ", " + RESPONSE_BODY;
    }

    private static List<String> with(List<String> columns, String last) {
        var all = new java.util.ArrayList<>(columns);
        all.add(last);
        return List.copyOf(all);
    }

    /**
     * Reads rows by column name: the position of each name in a statement's select list is looked up once,
     * when the reader is made, so reading a row is as cheap as by position. A list without
     * {@link #RESPONSE_BODY} gives rows without a body.
     */
    static final class Reader {

        private final int id;
        private final int cacheKey;
        private final int method;
        private final int url;
        private final int requestHeaders;
        private final int status;
        private final int responseHeaders;
        private final int body;
        private final int metadata;
        private final int ttl;
        private final int createdAt;
        private final int expiresAt;
        private final int deletedAt;
        private final int purgeAfter;
        private final int state;
        private final int version;

        private final int size;

        private Reader(List<String> names) {
            size = names.size();
            id = index(names, ID);
            cacheKey = index(names, CACHE_KEY);
            method = index(names, REQUEST_METHOD);
            url = index(names, REQUEST_URL);
            requestHeaders = index(names, REQUEST_HEADERS);
            status = index(names, RESPONSE_STATUS);
            responseHeaders = index(names, RESPONSE_HEADERS);
            body = names.indexOf(RESPONSE_BODY);
            metadata = index(names, METADATA);
            ttl = index(names, TTL_SECONDS);
            createdAt = index(names, CREATED_AT);
            expiresAt = index(names, EXPIRES_AT);
            deletedAt = index(names, DELETED_AT);
            purgeAfter = index(names, PURGE_AFTER);
            state = index(names, STATE);
            version = index(names, VERSION);
        }

        /** How many columns the reader reads. */
        int size() {
            return size;
        }

        EntryRow read(Row r) {
            Buffer b = body < 0 ? null : r.getBuffer(body);
            return new EntryRow(r.getUUID(id), r.getString(cacheKey), r.getString(method), r.getString(url),
                    r.getString(requestHeaders), r.getInteger(status), r.getString(responseHeaders),
                    b == null ? null : b.getBytes(), r.getString(metadata), r.getLong(ttl),
                    r.getOffsetDateTime(createdAt), r.getOffsetDateTime(expiresAt), r.getOffsetDateTime(deletedAt),
                    r.getOffsetDateTime(purgeAfter), EntryState.of(r.getString(state)), r.getLong(version));
        }

        private static int index(List<String> names, String column) {
            int i = names.indexOf(column);
            if (i < 0) {
                throw new IllegalStateException("the statement did not select " + column + ": " + names);
            }
            return i;
        }
    }
}
