package io.cachekeeper.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.http.ApiCalls;
import io.cachekeeper.http.ApiPace;
import io.cachekeeper.problem.PartialInvalidation;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
    private final String replaceKeepingTtl;
    private final String replaceRestartingTtl;
    private final String moveKeyKeepingTtl;
    private final String moveKeyRestartingTtl;
    private final Lifecycle lifecycle;
    private final String refresh;
    private final String softDelete;
    private final String restore;
    private final String softDeleteByKey;
    private final String softDeleteByUrlPrefix;
    private final String softDeleteByUrlPrefixUnbounded;
    private final String softDeleteByTags;
    private final int invalidationBatch;
    private final double invalidationShare;
    private final ApiCalls api;
    private final Vertx vertx;
    private final KeyLookupStatements keyLookups;
    private final ByIdRoute route;
    private final String mapId;
    private final String takeOut;
    private final String moveInKeepingTtl;
    private final String moveInRestartingTtl;
    private final String remapId;
    private final String lockMapped;
    /** Whether a row of the id exists under the key ($1 id, $2 key): the take-over's check, without the body. */
    private final String entryExists;
    /** The insert that also makes the entry hold a streamed body ($12 body id, $13 its size). */
    private final String insertStreamed;
    /** The replaces that make the entry hold a streamed body ($13 body id, $14 its size). */
    private final String replaceStreamedKeepingTtl;
    private final String replaceStreamedRestartingTtl;
    private final String moveKeyStreamedKeepingTtl;
    private final String moveKeyStreamedRestartingTtl;
    /**
     * $1 body, $2 the entry's key, $3 the entry's id: a finished upload of this key, within the upload timeout,
     * that no other entry holds; touched, so that the purge of bodies no entry holds leaves it alone while the
     * write that takes it runs. Its size.
     */
    private final String takeBody;

    public EntryRepository(Database database, Lifecycle lifecycle, CachekeeperConfig config, ApiCalls api,
            Vertx vertx) {
        this.database = database;
        this.lifecycle = lifecycle;
        this.invalidationBatch = config.invalidation().batchSize();
        this.invalidationShare = config.invalidation().shareUnderLoad();
        this.api = api;
        this.vertx = vertx;
        this.route = new ByIdRoute(database, config.citus().enabled());
        // Rows are read by these names (EntryColumns.read); the JSON columns travel as text, never parsed here.
        columnsWithoutBody = EntryColumns.select(lifecycle);
        columns = EntryColumns.selectWithBody(lifecycle);
        // $2 the If-Match versions; NULL means "no condition".
        String ifMatch = "($2::bigint[] IS NULL OR version = ANY($2::bigint[]))";

        // $1 id ($2 its key on Citus: ByIdRoute)
        findById = """
                SELECT %s FROM cache_entry WHERE %s
                """.formatted(columns, route.condition(2));
        // Writes return the stored columns only; the state is judged at the updated_at they set
        // (EntryColumns.readWritten). Their time arithmetic is Lifecycle.secondsAfter, and none of them
        // assigns cache_key unless the key changes: the forms Citus accepts too (docs/performance.md).
        String written = EntryColumns.written();
        String writtenWithBody = EntryColumns.writtenWithBody();
        // $1 id, $2 cache_key, $3 request_method, $4 request_url, $5 request_headers (JSON text),
        // $6 response_status, $7 response_headers (JSON text), $8 response_body, $9 metadata (JSON text),
        // $10 ttl_seconds, $11 tags (NULL: none). Empty when the id is taken.
        String insertInto = """
                INSERT INTO cache_entry (id, cache_key, request_method, request_url, request_headers,
                                         response_status, response_headers, response_body, metadata, ttl_seconds,
                                         tags, created_at, updated_at, expires_at%3$s)
                VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7::text::jsonb, $8, $9::text::jsonb, $10::bigint,
                        $11::text[], now(), now(), %1$s%4$s)
                ON CONFLICT %5$s DO NOTHING
                RETURNING %2$s
                """;
        insert = insertInto.formatted(Lifecycle.secondsAfter("now()", "$10::bigint"), written, "", "", "");
        // The conflict is the id's alone: a body another entry took meanwhile is the unique index's error.
        insertStreamed = insertInto.formatted(Lifecycle.secondsAfter("now()", "$10::bigint"), written,
                ", body_id, body_size", ", $12, $13", route.citus() ? "(cache_key, id)" : "(id)");
        // $1 id, $2 If-Match, $3–$10 as $2–$9 of the insert, $11 ttl_seconds (NULL keeps TTL and expiry),
        // $12 tags. The key stays ($3 must be the row's key); a new key takes moveKey. Two shapes for the
        // TTL, because Citus refuses now() inside CASE.
        // %1$s the key's assignment (only when it changes), %2$s the key's condition, %3$s the TTL's assignments,
        // %4$s the version's condition, %5$s what comes back, %6$s the streamed body's (none: the body is $9).
        String replaceBody = """
                UPDATE cache_entry
                SET %1$s request_method = $4, request_url = $5, request_headers = $6::text::jsonb,
                    response_status = $7, response_headers = $8::text::jsonb, response_body = $9,
                    metadata = $10::text::jsonb, tags = $12::text[], %3$s %6$s
                    updated_at = now(), version = version + 1
                WHERE id = $1 AND %2$s AND deleted_at IS NULL AND %4$s
                RETURNING %5$s
                """;
        String replace = replaceBody.replace("%6$s", "body_id = NULL, body_size = NULL,");
        String replaceStreamed = replaceBody.replace("%6$s", "body_id = $13, body_size = $14,");
        String restartTtl = "ttl_seconds = $11::bigint, expires_at = " + Lifecycle.secondsAfter("now()", "$11::bigint") + ",";
        String keepTtl = ifMatch + " AND $11::bigint IS NULL";
        replaceKeepingTtl = replace.formatted("", "cache_key = $3", "", keepTtl, written);
        replaceRestartingTtl = replace.formatted("", "cache_key = $3", restartTtl, ifMatch, written);
        // The same replace when the key changes (same parameters; $3 the new key).
        moveKeyKeepingTtl = replace.formatted("cache_key = $3,", "cache_key <> $3", "", keepTtl, written);
        moveKeyRestartingTtl = replace.formatted("cache_key = $3,", "cache_key <> $3", restartTtl, ifMatch, written);
        replaceStreamedKeepingTtl = replaceStreamed.formatted("", "cache_key = $3", "", keepTtl, written);
        replaceStreamedRestartingTtl = replaceStreamed.formatted("", "cache_key = $3", restartTtl, ifMatch, written);
        moveKeyStreamedKeepingTtl = replaceStreamed.formatted("cache_key = $3,", "cache_key <> $3", "", keepTtl, written);
        moveKeyStreamedRestartingTtl = replaceStreamed.formatted("cache_key = $3,", "cache_key <> $3", restartTtl, ifMatch,
                written);
        takeBody = """
                UPDATE cache_body b SET touched_at = now()
                WHERE id = $1 AND cache_key = $2 AND size IS NOT NULL AND touched_at > now() - %s
                  AND NOT EXISTS (SELECT 1 FROM cache_entry e WHERE e.cache_key = b.cache_key AND e.body_id = b.id AND e.id <> $3)
                RETURNING size
                """
                .formatted(Lifecycle.interval(config.streamedBodies().uploadTimeout()));
        // $1 id, $2 If-Match ($3 the key on Citus, here and in softDelete and restore)
        String row = route.condition(3);
        refresh = """
                UPDATE cache_entry
                SET expires_at = %s, updated_at = now(), version = version + 1
                WHERE %s AND deleted_at IS NULL AND %s
                RETURNING %s
                """.formatted(Lifecycle.secondsAfter("now()", "ttl_seconds"), row, ifMatch, writtenWithBody);
        // $1 id, $2 If-Match. Only a live or expired row changes; deleting a deleted entry again answers the
        // row as it is, with its first deleted_at and its version (EntryService).
        softDelete = """
                UPDATE cache_entry
                SET deleted_at = now(), updated_at = now(), version = version + 1
                WHERE %s AND deleted_at IS NULL AND %s
                RETURNING %s
                """.formatted(row, ifMatch, writtenWithBody);
        // $1 id, $2 If-Match
        restore = """
                UPDATE cache_entry
                SET deleted_at = NULL, updated_at = now(), version = version + 1
                WHERE %s AND %s AND %s
                RETURNING %s
                """.formatted(row, lifecycle.deleted(), ifMatch, writtenWithBody);
        // Soft-deleting many rows at once: each row's first deletion (live rows only), one version up.
        String softDeleteMany = """
                UPDATE cache_entry
                SET deleted_at = now(), updated_at = now(), version = version + 1
                WHERE %s AND %s
                """;
        // $1 cache_key
        softDeleteByKey = softDeleteMany.formatted("cache_key = $1", lifecycle.live());
        // One batch of a wide invalidation: at most $1 live rows that match, picked and then changed (the
        // UPDATE re-checks them under its row lock: a row a writer changed meanwhile is left as the writer
        // left it). picked < $1 says the batch was the last.
        // On Citus the picked rows are joined back by (cache_key, id): the shards' primary key, and the
        // distribution column, so that each shard's part of the UPDATE finds its rows by index.
        String batch = """
                WITH picked AS (
                    SELECT %3$s FROM cache_entry WHERE %1$s AND %2$s LIMIT $1),
                deleted AS (
                    UPDATE cache_entry e SET deleted_at = now(), updated_at = now(), version = e.version + 1
                    FROM picked WHERE %4$s AND %1$s AND %2$s
                    RETURNING 1)
                SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM deleted) AS deleted
                """.replace("%3$s", route.citus() ? "cache_key, id" : "id")
                .replace("%4$s", route.citus() ? "e.cache_key = picked.cache_key AND e.id = picked.id" : "e.id = picked.id");
        // $2 the tags (any of them): cache_entry_tags_idx serves the overlap.
        softDeleteByTags = batch.formatted("tags && $2::text[]", lifecycle.live());
        // $2 the prefix, $3 its upper bound. The range on the "C"-collated URL is what
        // cache_entry_url_prefix_idx serves; starts_with makes it exact. Without an upper bound (a prefix
        // ending in U+10FFFF) the lower bound alone serves.
        String fromPrefix = "(request_url COLLATE \"C\") >= $2 AND starts_with(request_url, $2)";
        softDeleteByUrlPrefix = batch.formatted(fromPrefix + " AND (request_url COLLATE \"C\") < $3", lifecycle.live());
        softDeleteByUrlPrefixUnbounded = batch.formatted(fromPrefix, lifecycle.live());
        keyLookups = new KeyLookupStatements(lifecycle, columnsWithoutBody);

        // Citus only. The id map's row for a new entry, in the insert's transaction ($1 id, $2 cache_key);
        // empty when the id is taken, under any key (the map's primary key is the id alone).
        mapId = "INSERT INTO cache_entry_id (id, cache_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id";
        // A PUT that changes the key moves the row to its new key's shard: Citus does not assign the
        // distribution column. In one transaction: taken out under the old key with the replace's
        // conditions ($1 id, $2 If-Match, $3 the old key), put in under the new one with its created_at and
        // version ($1–$11 as the insert's, $12 created_at, $13 version, $14 and $15 the streamed body's id
        // and size or NULL; $16 expires_at when the TTL is kept), and the id map pointed at it ($1 id, $2 the
        // new key).
        takeOut = """
                DELETE FROM cache_entry WHERE id = $1 AND cache_key = $3 AND deleted_at IS NULL AND %s
                RETURNING created_at, version, ttl_seconds, expires_at
                """.formatted(ifMatch);
        String moveIn = """
                INSERT INTO cache_entry (id, cache_key, request_method, request_url, request_headers,
                                         response_status, response_headers, response_body, metadata, ttl_seconds,
                                         tags, created_at, updated_at, version, body_id, body_size, expires_at)
                VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7::text::jsonb, $8, $9::text::jsonb, $10::bigint,
                        $11::text[], $12::timestamptz, now(), $13::bigint, $14::uuid, $15::bigint, %s)
                RETURNING %s
                """;
        moveInKeepingTtl = moveIn.formatted("$16::timestamptz", written);
        moveInRestartingTtl = moveIn.formatted(Lifecycle.secondsAfter("now()", "$10::bigint"), written);
        remapId = "UPDATE cache_entry_id SET cache_key = $2 WHERE id = $1";
        lockMapped = ByIdRoute.LOCATE + " FOR UPDATE";
        entryExists = "SELECT 1 FROM cache_entry WHERE " + route.condition(2);
    }

    public Uni<Optional<EntryRow>> find(UUID id) {
        return route.execute(id, findById, Tuple.of(id)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(EntryColumns.read(it.next(), true)) : Optional.empty();
        });
    }

    /**
     * Inserts a new row; empty when the id is taken. The returned row carries no body (the caller has it). On
     * Citus the id map's row first, in the same transaction: its primary key keeps ids unique across the
     * shards, which the table's (cache_key, id) cannot.
     */
    public Uni<Optional<EntryRow>> insert(EntryContent c) {
        Tuple args = withContent(Tuple.of(c.id()), c);
        if (!route.citus() && !c.streamed()) {
            return written(insert, args, false).map(row -> row.map(r -> r.withBody(c.body()))); // one statement
        }
        return database.inTransaction(connection -> claimId(connection, c)
                .chain(free -> !free ? Uni.createFrom().item(Optional.<EntryRow> empty())
                        : !c.streamed() ? connection.preparedQuery(insert).execute(args).map(rows -> first(rows, false))
                                : takeBody(connection, c, c.id()).chain(size -> connection.preparedQuery(insertStreamed)
                                        .execute(args.addUUID(c.bodyId()).addLong(size)).map(rows -> first(rows, false)))),
                Optional::isEmpty)
                .map(row -> row.map(r -> r.withBody(c.body())));
    }

    /**
     * On Citus, the id map's row for the new entry, in the insert's transaction; false when the id is taken.
     * On PostgreSQL the insert's own conflict tells.
     */
    private Uni<Boolean> claimId(SqlConnection connection, EntryContent c) {
        if (!route.citus()) {
            return Uni.createFrom().item(true);
        }
        return connection.preparedQuery(mapId).execute(Tuple.of(c.id(), c.cacheKey()))
                .chain(mapped -> mapped.size() > 0 ? Uni.createFrom().item(true) : takeOverUnmapped(connection, c));
    }

    /**
     * Replaces the content of an undeleted row whose version matches; empty otherwise. Under its key as
     * it is; when that finds nothing, the row may be under another key: the same change, moving it.
     */
    public Uni<Optional<EntryRow>> replace(UUID id, Long[] ifMatch, EntryContent c) {
        boolean keepTtl = c.ttlSeconds() == null;
        if (c.streamed()) {
            // The body is taken first, in the replace's transaction: refused, nothing changes; replaced, the
            // entry's previous body is held by no entry and goes with the purge after the upload timeout, so a
            // reader still streaming it finishes.
            return database.inTransaction(connection -> takeBody(connection, c, id).chain(size -> {
                Tuple args = withContent(Tuple.of(id, ifMatch), c).addUUID(c.bodyId()).addLong(size);
                return connection.preparedQuery(keepTtl ? replaceStreamedKeepingTtl : replaceStreamedRestartingTtl)
                        .execute(args).map(rows -> first(rows, false))
                        .chain(done -> done.isPresent() ? Uni.createFrom().item(done)
                                : route.citus() ? moveOnCitus(connection, id, ifMatch, c, size)
                                        : connection
                                                .preparedQuery(
                                                        keepTtl ? moveKeyStreamedKeepingTtl : moveKeyStreamedRestartingTtl)
                                                .execute(args).map(rows -> first(rows, false)));
            }), Optional::isEmpty);
        }
        Tuple args = withContent(Tuple.of(id, ifMatch), c);
        return written(keepTtl ? replaceKeepingTtl : replaceRestartingTtl, args, false)
                .chain(done -> done.isPresent() ? Uni.createFrom().item(done)
                        : route.citus() ? database.inTransaction(connection -> moveOnCitus(connection, id, ifMatch, c, null),
                                Optional::isEmpty)
                                : written(keepTtl ? moveKeyKeepingTtl : moveKeyRestartingTtl, args, false))
                .map(row -> row.map(r -> r.withBody(c.body())));
    }

    /**
     * On Citus, when the id map holds the id already: whether its entry is gone (a pass that died before it
     * removed the id map's rows of the entries it purged, cleanup/ShardPurge), in which case the map's row is
     * taken over for the new entry. The map's row is locked first, so that a concurrent insert or move of
     * the id waits for this one.
     */
    private Uni<Boolean> takeOverUnmapped(SqlConnection connection, EntryContent c) {
        return connection.preparedQuery(lockMapped).execute(Tuple.of(c.id())).chain(locked -> {
            var it = locked.iterator();
            if (!it.hasNext()) {
                return Uni.createFrom().item(false); // removed meanwhile: the caller's conflict stands; a retry inserts
            }
            String key = it.next().getString("cache_key");
            return connection.preparedQuery(entryExists).execute(Tuple.of(c.id(), key))
                    .chain(found -> found.size() > 0 ? Uni.createFrom().item(false)
                            : connection.preparedQuery(remapId).execute(Tuple.of(c.id(), c.cacheKey())).replaceWith(true));
        });
    }

    /**
     * The replace that changes the key, on Citus, in the caller's transaction: the row is taken out under its key
     * and put in under the new one, and the id map follows; empty (nothing changed) when the row is not under
     * another key or the replace's conditions do not hold. {@code bodySize}: the streamed body's the entry
     * takes ({@code c.bodyId()}), null for a body in the JSON.
     */
    private Uni<Optional<EntryRow>> moveOnCitus(SqlConnection connection, UUID id, Long[] ifMatch, EntryContent c,
            Long bodySize) {
        return connection.preparedQuery(ByIdRoute.LOCATE).execute(Tuple.of(id)).chain(located -> {
            var it = located.iterator();
            String from = it.hasNext() ? it.next().getString("cache_key") : null;
            if (from == null || from.equals(c.cacheKey())) {
                return Uni.createFrom().item(Optional.<EntryRow> empty());
            }
            return connection.preparedQuery(takeOut).execute(Tuple.of(id, ifMatch, from)).chain(taken -> {
                var old = taken.iterator();
                if (!old.hasNext()) {
                    return Uni.createFrom().item(Optional.<EntryRow> empty());
                }
                Row was = old.next();
                boolean keepTtl = c.ttlSeconds() == null;
                Tuple in = withContent(Tuple.of(id), c, keepTtl ? was.getLong("ttl_seconds") : c.ttlSeconds());
                in.addOffsetDateTime(was.getOffsetDateTime("created_at")).addLong(was.getLong("version") + 1)
                        .addUUID(bodySize == null ? null : c.bodyId()).addLong(bodySize);
                if (keepTtl) {
                    in.addOffsetDateTime(was.getOffsetDateTime("expires_at"));
                }
                return connection.preparedQuery(keepTtl ? moveInKeepingTtl : moveInRestartingTtl).execute(in)
                        .call(() -> connection.preparedQuery(remapId).execute(Tuple.of(id, c.cacheKey())))
                        .map(rows -> first(rows, false));
            });
        });
    }

    /** The streamed body the entry takes, in the write's transaction: its size, or a 400 naming response.bodyId. */
    private Uni<Long> takeBody(SqlConnection connection, EntryContent c, UUID entry) {
        return connection.preparedQuery(takeBody).execute(Tuple.of(c.bodyId(), c.cacheKey(), entry)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                throw ProblemException.badRequest("response.bodyId", "no finished upload " + c.bodyId()
                        + " of this cacheKey waits for this entry (unknown, still running, uploaded under another key,"
                        + " held by another entry, or past cachekeeper.streamed-bodies.upload-timeout)");
            }
            return it.next().getLong("size");
        });
    }

    public Uni<Optional<EntryRow>> refresh(UUID id, Long[] ifMatch) {
        return writtenById(id, refresh, Tuple.of(id, ifMatch));
    }

    /** Soft-deletes a live or expired row whose version matches; empty otherwise (already deleted among them). */
    public Uni<Optional<EntryRow>> softDelete(UUID id, Long[] ifMatch) {
        return writtenById(id, softDelete, Tuple.of(id, ifMatch));
    }

    /** Undoes the soft delete of a row inside its grace period whose version matches; empty otherwise. */
    public Uni<Optional<EntryRow>> restore(UUID id, Long[] ifMatch) {
        return writtenById(id, restore, Tuple.of(id, ifMatch));
    }

    public Uni<Integer> softDeleteByKey(String key) {
        return database.execute(softDeleteByKey, Tuple.of(key)).map(RowSet::rowCount);
    }

    /**
     * Soft-deletes every live entry whose URL starts with the prefix, in batches ({@link #invalidate});
     * {@code upperBound}: the least string above every string starting with the prefix, or null.
     */
    public Uni<Long> softDeleteByUrlPrefix(String prefix, String upperBound) {
        return upperBound == null
                ? invalidate(softDeleteByUrlPrefixUnbounded, Tuple.of(invalidationBatch, prefix))
                : invalidate(softDeleteByUrlPrefix, Tuple.of(invalidationBatch, prefix, upperBound));
    }

    /** Soft-deletes every live entry that carries any of the tags, in batches ({@link #invalidate}). */
    public Uni<Long> softDeleteByTags(List<String> tags) {
        return invalidate(softDeleteByTags, Tuple.of(invalidationBatch, tags.toArray(String[]::new)));
    }

    /**
     * Runs one batch statement after another, each its own short transaction holding at most
     * {@code cachekeeper.invalidation.batch-size} row locks, until a batch picks fewer rows than that; the
     * total soft-deleted. Every statement is bounded on its own, so a wide invalidation runs as long as it
     * needs without any one statement near the bound. While other API calls keep arriving the batches
     * rest between them ({@link ApiPace}, {@code cachekeeper.invalidation.share-under-load}): flat out, a
     * 100,000-entry invalidation doubled the API's p99 (docs/performance.md). A failure part way fails with
     * {@link PartialInvalidation}, which says how many were deleted before it; calling again finishes the
     * work (the rows already deleted no longer match).
     */
    private Uni<Long> invalidate(String sql, Tuple args) {
        AtomicLong deleted = new AtomicLong();
        ApiPace pace = new ApiPace(api, vertx, invalidationShare);
        return Multi.createBy().repeating()
                .uni(() -> pace.rest().chain(() -> {
                    long sentAt = System.nanoTime();
                    return database.execute(sql, args).map(rows -> {
                        pace.batchDone(sentAt, System.nanoTime());
                        return rows.iterator().next();
                    });
                }))
                .whilst(row -> row.getLong("picked") == invalidationBatch)
                .onItem().invoke(row -> deleted.addAndGet(row.getLong("deleted")))
                .collect().last()
                .map(last -> deleted.get())
                .onFailure().transform(e -> new PartialInvalidation(deleted.get(), e));
    }

    /**
     * One page of the entries under a key, oldest first: at most {@code q.limit()} rows and, with bodies,
     * {@link KeyQuery#PAGE_BODY_BYTES} of them; {@code found} is how many rows matched up to the limit.
     */
    public Uni<KeyPage> byKey(KeyQuery q) {
        Tuple t = Tuple.of(q.key(), (long) q.limit());
        if (q.after() != null) {
            t.addOffsetDateTime(q.after().at()).addUUID(q.after().id());
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
        return withContent(t, c, c.ttlSeconds());
    }

    private static Tuple withContent(Tuple t, EntryContent c, Long ttlSeconds) {
        return t.addString(c.cacheKey()).addString(c.requestMethod()).addString(c.requestUrl())
                .addString(c.requestHeadersJson()).addInteger(c.responseStatus()).addString(c.responseHeadersJson())
                .addBuffer(Buffer.buffer(c.body())).addString(c.metadataJson()).addLong(ttlSeconds)
                .addArrayOfString(EntryColumns.column(c.tags()));
    }

    /** A write's one row, its state judged at the instant the write read ({@link EntryColumns#readWritten}). */
    private Uni<Optional<EntryRow>> written(String sql, Tuple args, boolean withBody) {
        return database.execute(sql, args).map(rows -> first(rows, withBody));
    }

    /** A by-id write ({@link ByIdRoute}): returns the body. */
    private Uni<Optional<EntryRow>> writtenById(UUID id, String sql, Tuple args) {
        return route.execute(id, sql, args).map(rows -> first(rows, true));
    }

    private Optional<EntryRow> first(RowSet<Row> rows, boolean withBody) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(EntryColumns.readWritten(it.next(), withBody, lifecycle)) : Optional.empty();
    }
}
