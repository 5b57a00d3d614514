package io.cachekeeper.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.database.Database;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement the entries API runs against {@code cache_entry}, one round trip each: a write
 * checks and changes its row in one {@code UPDATE … RETURNING} (which takes the row lock itself, so a
 * purge batch skips or re-checks the row), a create is one {@code INSERT … RETURNING}, and the row's
 * state and {@code purgeAfter} come back computed by the database ({@link Lifecycle}).
 *
 * <p>
 * Plain SQL on the reactive client rather than HQL: each statement needs {@code RETURNING} and
 * columns computed over the database's {@code now()}, which HQL cannot say, and the client's
 * per-connection prepared-statement cache keeps the per-call cost at one Bind/Execute. A statement
 * here returns empty when its condition did not hold; {@link EntryService} then asks {@link #find}
 * why (absent, soft-deleted, other version), which is off the hot path.
 */
@ApplicationScoped
public class EntryRepository {

    private final Database database;
    private final String columnsWithoutBody;
    private final String columns;
    private final String findById;
    private final String insert;
    private final String replace;
    private final String refresh;
    private final String softDelete;
    private final String restore;
    private final String softDeleteByKey;
    private final String softDeleteByUrlPrefix;
    private final String softDeleteByUrlPrefixUnbounded;
    private final KeyLookupStatements keyLookups;

    public EntryRepository(Database database, Lifecycle lifecycle) {
        this.database = database;
        // Rows are read by these names (EntryColumns.read); the JSON columns travel as text, never parsed here.
        columnsWithoutBody = EntryColumns.select(lifecycle);
        columns = EntryColumns.selectWithBody(lifecycle);
        // $2 the If-Match versions; NULL means "no condition".
        String ifMatch = "($2::bigint[] IS NULL OR version = ANY($2::bigint[]))";

        // $1 id
        findById = """
                SELECT %s FROM cache_entry WHERE id = $1
                """.formatted(columns);
        // $1 id, $2 cache_key, $3 request_method, $4 request_url, $5 request_headers (JSON text),
        // $6 response_status, $7 response_headers (JSON text), $8 response_body, $9 metadata (JSON text),
        // $10 ttl_seconds. Empty when the id is taken.
        insert = """
                INSERT INTO cache_entry (id, cache_key, request_method, request_url, request_headers,
                                         response_status, response_headers, response_body, metadata, ttl_seconds,
                                         created_at, updated_at, expires_at)
                VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7::text::jsonb, $8, $9::text::jsonb, $10::bigint,
                        now(), now(), now() + $10::bigint * interval '1 second')
                ON CONFLICT (id) DO NOTHING
                RETURNING %s
                """.formatted(columnsWithoutBody);
        // $1 id, $2 If-Match, $3–$10 as $2–$9 of the insert, $11 ttl_seconds (NULL keeps TTL and expiry).
        replace = """
                UPDATE cache_entry
                SET cache_key = $3, request_method = $4, request_url = $5, request_headers = $6::text::jsonb,
                    response_status = $7, response_headers = $8::text::jsonb, response_body = $9,
                    metadata = $10::text::jsonb,
                    ttl_seconds = coalesce($11::bigint, ttl_seconds),
                    expires_at = CASE WHEN $11::bigint IS NULL THEN expires_at
                                      ELSE now() + $11::bigint * interval '1 second' END,
                    updated_at = now(), version = version + 1
                WHERE id = $1 AND deleted_at IS NULL AND %s
                RETURNING %s
                """.formatted(ifMatch, columnsWithoutBody);
        // $1 id, $2 If-Match
        refresh = """
                UPDATE cache_entry
                SET expires_at = now() + ttl_seconds * interval '1 second', updated_at = now(), version = version + 1
                WHERE id = $1 AND deleted_at IS NULL AND %s
                RETURNING %s
                """.formatted(ifMatch, columns);
        // $1 id, $2 If-Match. Idempotent: deleting a deleted entry keeps its first deleted_at and its version.
        softDelete = """
                UPDATE cache_entry
                SET deleted_at = coalesce(deleted_at, now()),
                    updated_at = CASE WHEN deleted_at IS NULL THEN now() ELSE updated_at END,
                    version = CASE WHEN deleted_at IS NULL THEN version + 1 ELSE version END
                WHERE id = $1 AND %s
                RETURNING %s
                """.formatted(ifMatch, columns);
        // $1 id, $2 If-Match
        restore = """
                UPDATE cache_entry
                SET deleted_at = NULL, updated_at = now(), version = version + 1
                WHERE id = $1 AND %s AND %s
                RETURNING %s
                """.formatted(lifecycle.deleted(), ifMatch, columns);
        // Soft-deleting many rows at once: each row's first deletion (live rows only), one version up.
        String softDeleteMany = """
                UPDATE cache_entry
                SET deleted_at = now(), updated_at = now(), version = version + 1
                WHERE %s AND %s
                """;
        // $1 cache_key
        softDeleteByKey = softDeleteMany.formatted("cache_key = $1", lifecycle.live());
        // $1 the prefix, $2 its upper bound. The range on the "C"-collated URL is what
        // cache_entry_url_prefix_idx serves; starts_with makes it exact. Without an upper bound (a prefix
        // ending in U+10FFFF) the lower bound alone serves.
        String fromPrefix = "(request_url COLLATE \"C\") >= $1 AND starts_with(request_url, $1)";
        softDeleteByUrlPrefix = softDeleteMany.formatted(fromPrefix + " AND (request_url COLLATE \"C\") < $2",
                lifecycle.live());
        softDeleteByUrlPrefixUnbounded = softDeleteMany.formatted(fromPrefix, lifecycle.live());
        keyLookups = new KeyLookupStatements(lifecycle, columnsWithoutBody);
    }

    public Uni<Optional<EntryRow>> find(UUID id) {
        return one(findById, Tuple.of(id), true);
    }

    /** Inserts a new row; empty when the id is taken. The returned row carries no body (the caller has it). */
    public Uni<Optional<EntryRow>> insert(EntryContent c) {
        return one(insert, withContent(Tuple.of(c.id()), c), false).map(row -> row.map(r -> r.withBody(c.body())));
    }

    /** Replaces the content of an undeleted row whose version matches; empty otherwise. */
    public Uni<Optional<EntryRow>> replace(UUID id, Long[] ifMatch, EntryContent c) {
        return one(replace, withContent(Tuple.of(id, ifMatch), c), false).map(row -> row.map(r -> r.withBody(c.body())));
    }

    public Uni<Optional<EntryRow>> refresh(UUID id, Long[] ifMatch) {
        return one(refresh, Tuple.of(id, ifMatch), true);
    }

    public Uni<Optional<EntryRow>> softDelete(UUID id, Long[] ifMatch) {
        return one(softDelete, Tuple.of(id, ifMatch), true);
    }

    /** Undoes the soft delete of a row inside its grace period whose version matches; empty otherwise. */
    public Uni<Optional<EntryRow>> restore(UUID id, Long[] ifMatch) {
        return one(restore, Tuple.of(id, ifMatch), true);
    }

    public Uni<Integer> softDeleteByKey(String key) {
        return database.execute(softDeleteByKey, Tuple.of(key)).map(RowSet::rowCount);
    }

    /** {@code upperBound}: the least string above every string starting with the prefix, or null. */
    public Uni<Integer> softDeleteByUrlPrefix(String prefix, String upperBound) {
        var statement = upperBound == null
                ? database.execute(softDeleteByUrlPrefixUnbounded, Tuple.of(prefix))
                : database.execute(softDeleteByUrlPrefix, Tuple.of(prefix, upperBound));
        return statement.map(RowSet::rowCount);
    }

    /**
     * One page of the entries under a key, oldest first: at most {@code q.limit()} rows and, with bodies,
     * {@link KeyLookupStatements#PAGE_BODY_BYTES} of them; {@code found} is how many rows matched up to the limit.
     */
    public Uni<KeyPage> byKey(KeyQuery q) {
        Tuple t = Tuple.of(q.key(), (long) q.limit());
        if (q.after() != null) {
            t.addOffsetDateTime(q.after().createdAt()).addUUID(q.after().id());
        }
        return database.read(keyLookupStatement(q), t).chain(rows -> !q.includeBody() || allFit(rows)
                ? Uni.createFrom().item(page(rows, q))
                // A body too large for the first step: the capped statement cuts the page (KeyLookupStatements).
                : database.read(keyLookups.capped(q), t).map(capped -> page(capped, q)));
    }

    private static boolean allFit(RowSet<Row> rows) {
        for (Row row : rows) {
            if (!row.getBoolean(KeyLookupStatements.FITS_POSITION)) {
                return false;
            }
        }
        return true;
    }

    /** The rows up to the first without its body (past the byte cap), and how many matched. */
    private static KeyPage page(RowSet<Row> rows, KeyQuery q) {
        List<EntryRow> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (q.includeBody() && !row.getBoolean(KeyLookupStatements.FITS_POSITION)) {
                break; // past the byte cap: this row and the rest came without bodies
            }
            out.add(EntryColumns.read(row, q.includeBody()));
        }
        return new KeyPage(out, rows.size());
    }

    /** The statement a key lookup runs first ({@code $1} key, {@code $2} limit, {@code $3, $4} cursor). */
    String keyLookupStatement(KeyQuery q) {
        return keyLookups.of(q);
    }

    /** With bodies, the statement that cuts a page of large bodies at the byte cap (same parameters). */
    String cappedKeyLookupStatement(KeyQuery q) {
        return keyLookups.capped(q);
    }

    /** Rows of a key lookup and how many matched (more than the rows when the byte cap cut the page). */
    public record KeyPage(List<EntryRow> rows, long found) {
    }

    /** The content's columns after the parameters already in {@code t}, in the order insert and replace take them. */
    private static Tuple withContent(Tuple t, EntryContent c) {
        return t.addString(c.cacheKey()).addString(c.requestMethod()).addString(c.requestUrl())
                .addString(c.requestHeadersJson()).addInteger(c.responseStatus()).addString(c.responseHeadersJson())
                .addBuffer(Buffer.buffer(c.body())).addString(c.metadataJson()).addLong(c.ttlSeconds());
    }

    private Uni<Optional<EntryRow>> one(String sql, Tuple args, boolean withBody) {
        return database.execute(sql, args).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(EntryColumns.read(it.next(), withBody)) : Optional.empty();
        });
    }
}
