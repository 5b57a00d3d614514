package io.cachekeeper.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.pace.ApiCalls;
import io.cachekeeper.pace.ApiPace;
import io.cachekeeper.problem.PartialInvalidation;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
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
    private final NamedSql findById;
    private final NamedSql insert;
    private final NamedSql replaceKeepingTtl;
    private final NamedSql replaceRestartingTtl;
    private final NamedSql moveKeyKeepingTtl;
    private final NamedSql moveKeyRestartingTtl;
    private final Lifecycle lifecycle;
    private final NamedSql refresh;
    private final NamedSql softDelete;
    private final NamedSql restore;
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
    private final NamedSql takeOut;
    private final NamedSql moveInKeepingTtl;
    private final NamedSql moveInRestartingTtl;
    private final String lockId;
    private final String routedExists;
    private final String mapTo;
    private final String unmapId;
    /** Whether a row of the id exists under the key ($1 id, $2 key): the take-over's check, without the body. */
    private final String entryExists;
    /** The advisory lock keys of a client's id being claimed on Citus are (this, the id's hashtext). */
    static final int ID_LOCK_CLASS = 0x636b_6964; // "ckid"
    /** The insert that also makes the entry hold a streamed body. */
    private final NamedSql insertStreamed;
    /** The replaces that make the entry hold a streamed body. */
    private final NamedSql replaceStreamedKeepingTtl;
    private final NamedSql replaceStreamedRestartingTtl;
    private final NamedSql moveKeyStreamedKeepingTtl;
    private final NamedSql moveKeyStreamedRestartingTtl;
    /** The replaces that keep the entry's body, in the row or streamed, and its key. */
    private final NamedSql replaceKeepingBodyAndTtl;
    private final NamedSql replaceKeepingBodyRestartingTtl;
    /**
     * A finished upload of the entry's key, within the upload timeout,
     * that no other entry holds; touched, so that the purge of bodies no entry holds leaves it alone while the
     * write that takes it runs. Its size.
     */
    private final NamedSql takeBody;

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
        // :if_match the If-Match versions; NULL means "no condition".
        String ifMatch = "(:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))";

        findById = NamedSql.of("SELECT %s FROM cache_entry WHERE %s".formatted(columns, route.condition()));
        // Writes return the stored columns only; the state is judged at the updated_at they set
        // (EntryColumns.readWritten). Their time arithmetic is Lifecycle.secondsAfter, and none of them
        // assigns cache_key unless the key changes: the forms Citus accepts too (docs/performance.md).
        // Their parameters are the content's columns by name (contentParams), :id the entry's id, and
        // :body_id, :body_size the streamed body a write makes the entry hold.
        String written = EntryColumns.written();
        String writtenWithBody = EntryColumns.writtenWithBody();
        String expiryFromTtl = Lifecycle.secondsAfter("now()", ":ttl_seconds::bigint");
        // On Citus, a statement on the rows of :cache_key names their route, the distribution column (one shard).
        String keyRoute = route.citus() ? " AND " + Route.condition(":cache_key") : "";
        // Empty when the id is taken. %1$s the streamed body's columns, %2$s their values, %3$s the conflict.
        // The route is written on PostgreSQL too: one statement for both.
        String insertInto = """
                INSERT INTO cache_entry (id, route, @CONTENT@, ttl_seconds, created_at, updated_at, expires_at%1$s)
                VALUES (:id, cache_route(:cache_key), @VALUES@, :ttl_seconds::bigint, now(), now(), @EXPIRY@%2$s)
                ON CONFLICT %3$s DO NOTHING
                RETURNING @WRITTEN@
                """.replace("@CONTENT@", EntryColumns.contentColumns()).replace("@VALUES@", EntryColumns.contentValues())
                .replace("@EXPIRY@", expiryFromTtl).replace("@WRITTEN@", written);
        insert = NamedSql.of(insertInto.formatted("", "", ""));
        // The conflict is the id's alone: a body another entry took meanwhile is the unique index's error.
        insertStreamed = NamedSql.of(insertInto.formatted(", body_id, body_size", ", :body_id, :body_size",
                route.citus() ? "(route, id)" : "(id)"));
        // The row of :id, not deleted, whose version matches, under :cache_key (a new key takes moveKey);
        // :ttl_seconds NULL keeps TTL and expiry. Two shapes for the TTL, because Citus refuses now() inside
        // CASE. %1$s the key's assignment (only when it changes), %2$s the key's condition, %3$s the TTL's
        // assignments, %4$s the version's condition, %5$s the streamed body's (none: the body is
        // :response_body).
        String replaceBody = """
                UPDATE cache_entry
                SET %1$s @CONTENT@, %3$s %5$s
                    updated_at = now(), version = version + 1
                WHERE id = :id AND %2$s AND @NOT_DELETED@ AND %4$s
                RETURNING @WRITTEN@
                """.replace("@CONTENT@", EntryColumns.contentAssignments()).replace("@NOT_DELETED@", Lifecycle.NOT_DELETED)
                .replace("@WRITTEN@", written);
        String restartTtl = "ttl_seconds = :ttl_seconds::bigint, expires_at = " + expiryFromTtl + ",";
        String keepTtl = ifMatch + " AND :ttl_seconds::bigint IS NULL";
        String inline = "body_id = NULL, body_size = NULL,";
        String streamed = "body_id = :body_id, body_size = :body_size,";
        String sameKey = "cache_key = :cache_key" + keyRoute;
        String otherKey = "cache_key <> :cache_key";
        String newKey = "cache_key = :cache_key, route = cache_route(:cache_key),";
        replaceKeepingTtl = NamedSql.of(replaceBody.formatted("", sameKey, "", keepTtl, inline));
        replaceRestartingTtl = NamedSql.of(replaceBody.formatted("", sameKey, restartTtl, ifMatch, inline));
        moveKeyKeepingTtl = NamedSql.of(replaceBody.formatted(newKey, otherKey, "", keepTtl, inline));
        moveKeyRestartingTtl = NamedSql.of(replaceBody.formatted(newKey, otherKey, restartTtl, ifMatch, inline));
        replaceStreamedKeepingTtl = NamedSql.of(replaceBody.formatted("", sameKey, "", keepTtl, streamed));
        replaceStreamedRestartingTtl = NamedSql.of(replaceBody.formatted("", sameKey, restartTtl, ifMatch, streamed));
        moveKeyStreamedKeepingTtl = NamedSql.of(replaceBody.formatted(newKey, otherKey, "", keepTtl, streamed));
        moveKeyStreamedRestartingTtl = NamedSql.of(replaceBody.formatted(newKey, otherKey, restartTtl, ifMatch, streamed));
        // Keeping the body: the content's assignments without the body's, under the key as it is. They return the
        // body, which the client did not send.
        String keepingBody = """
                UPDATE cache_entry
                SET @CONTENT@, %1$s
                    updated_at = now(), version = version + 1
                WHERE id = :id AND @SAME_KEY@ AND @NOT_DELETED@ AND %2$s
                RETURNING @WRITTEN@
                """.replace("@CONTENT@", EntryColumns.contentAssignmentsKeepingBody())
                .replace("@SAME_KEY@", sameKey).replace("@NOT_DELETED@", Lifecycle.NOT_DELETED)
                .replace("@WRITTEN@", writtenWithBody);
        replaceKeepingBodyAndTtl = NamedSql.of(keepingBody.formatted("", keepTtl));
        replaceKeepingBodyRestartingTtl = NamedSql.of(keepingBody.formatted(restartTtl, ifMatch));
        takeBody = NamedSql.of("""
                UPDATE cache_body b SET touched_at = now()
                WHERE id = :body_id AND cache_key = :cache_key%s AND size IS NOT NULL AND touched_at > now() - %s
                  AND NOT EXISTS (SELECT 1 FROM cache_entry e
                                  WHERE e.cache_key = b.cache_key%s AND e.body_id = b.id AND e.id <> :id)
                RETURNING size
                """.formatted(keyRoute, Lifecycle.interval(config.streamedBodies().uploadTimeout()),
                route.citus() ? " AND e.route = b.route" : ""));
        // The row of :id (ByIdRoute), its version matching :if_match.
        String row = route.condition();
        refresh = NamedSql.of("""
                UPDATE cache_entry
                SET expires_at = %s, updated_at = now(), version = version + 1
                WHERE %s AND %s AND %s
                RETURNING %s
                """.formatted(Lifecycle.secondsAfter("now()", "ttl_seconds"), row, Lifecycle.NOT_DELETED, ifMatch,
                writtenWithBody));
        // Only a live or expired row changes; deleting a deleted entry again answers the row as it is, with
        // its first deleted_at and its version (EntryService).
        softDelete = NamedSql.of("""
                UPDATE cache_entry
                SET deleted_at = now(), updated_at = now(), version = version + 1
                WHERE %s AND %s AND %s
                RETURNING %s
                """.formatted(row, Lifecycle.NOT_DELETED, ifMatch, writtenWithBody));
        restore = NamedSql.of("""
                UPDATE cache_entry
                SET deleted_at = NULL, updated_at = now(), version = version + 1
                WHERE %s AND %s AND %s
                RETURNING %s
                """.formatted(row, lifecycle.deleted(), ifMatch, writtenWithBody));
        // Soft-deleting many rows at once: each row's first deletion (live rows only), one version up.
        String softDeleteMany = """
                UPDATE cache_entry
                SET deleted_at = now(), updated_at = now(), version = version + 1
                WHERE %s AND %s
                """;
        // $1 cache_key
        softDeleteByKey = softDeleteMany.formatted("cache_key = $1" + (route.citus() ? " AND " + Route.condition("$1") : ""),
                lifecycle.live());
        // One batch of a wide invalidation: at most $1 live rows that match, picked and then changed (the
        // UPDATE re-checks them under its row lock: a row a writer changed meanwhile is left as the writer
        // left it). picked < $1 says the batch was the last.
        // On Citus the picked rows are joined back by (route, id): the shards' primary key, and the
        // distribution column, so that each shard's part of the UPDATE finds its rows by index.
        String batch = """
                WITH picked AS (
                    SELECT %3$s FROM cache_entry WHERE %1$s AND %2$s LIMIT $1),
                deleted AS (
                    UPDATE cache_entry e SET deleted_at = now(), updated_at = now(), version = e.version + 1
                    FROM picked WHERE %4$s AND %1$s AND %2$s
                    RETURNING 1)
                SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM deleted) AS deleted
                """.replace("%3$s", route.citus() ? "route, id" : "id")
                .replace("%4$s", route.citus() ? "e.route = picked.route AND e.id = picked.id" : "e.id = picked.id");
        // $2 the tags (any of them): cache_entry_tags_idx serves the overlap.
        softDeleteByTags = batch.formatted("tags && $2::text[]", lifecycle.live());
        // $2 the prefix, $3 its upper bound. The range on the "C"-collated URL is what
        // cache_entry_url_prefix_idx serves; starts_with makes it exact. Without an upper bound (a prefix
        // ending in U+10FFFF) the lower bound alone serves.
        String fromPrefix = "(request_url COLLATE \"C\") >= $2 AND starts_with(request_url, $2)";
        softDeleteByUrlPrefix = batch.formatted(fromPrefix + " AND (request_url COLLATE \"C\") < $3", lifecycle.live());
        softDeleteByUrlPrefixUnbounded = batch.formatted(fromPrefix, lifecycle.live());
        keyLookups = new KeyLookupStatements(lifecycle, columnsWithoutBody, route.citus());

        // Citus only: the id map (ByIdRoute), which holds the ids that do not name their entry's route.
        // The map's row for an entry of a client's id ($1 id, $2 cache_key); empty when the map holds the id.
        mapId = "INSERT INTO cache_entry_id (id, cache_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id";
        // A client's id is claimed under this lock, so that two claims of one id, or a claim and a move, take turns.
        lockId = "SELECT pg_advisory_xact_lock(%d, hashtext($1::text))".formatted(ID_LOCK_CLASS);
        // The row of id $1 in the route the id names: where an entry whose id names its route lives, unmapped.
        routedExists = "SELECT 1 FROM cache_entry WHERE route = cache_id_route($1) AND id = $1";
        // A PUT that changes the key moves the row to its new key's shard: Citus does not assign the
        // distribution column. In one transaction: taken out of its route (:from_route, ByIdRoute) with the
        // replace's conditions, put in under the new key with the content, the old row's :created_at and next
        // :version (and its :expires_at when the TTL is kept), and the id map pointed at it ($1 id, $2 the new
        // key), or its row removed when the id names the new key's route.
        takeOut = NamedSql.of("""
                DELETE FROM cache_entry
                WHERE id = :id AND route = :from_route::int AND cache_key <> :cache_key AND %s AND %s
                RETURNING created_at, version, ttl_seconds, expires_at
                """.formatted(Lifecycle.NOT_DELETED, ifMatch));
        String moveIn = """
                INSERT INTO cache_entry (id, route, @CONTENT@, ttl_seconds, created_at, updated_at, version, body_id,
                                         body_size, expires_at)
                VALUES (:id, cache_route(:cache_key), @VALUES@, :ttl_seconds::bigint, :created_at::timestamptz, now(),
                        :version::bigint, :body_id::uuid, :body_size::bigint, %s)
                RETURNING %s
                """.replace("@CONTENT@", EntryColumns.contentColumns()).replace("@VALUES@", EntryColumns.contentValues());
        moveInKeepingTtl = NamedSql.of(moveIn.formatted(":expires_at::timestamptz", written));
        moveInRestartingTtl = NamedSql.of(moveIn.formatted(expiryFromTtl, written));
        mapTo = "INSERT INTO cache_entry_id (id, cache_key) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET cache_key = $2";
        unmapId = "DELETE FROM cache_entry_id WHERE id = $1";
        entryExists = "SELECT 1 FROM cache_entry WHERE id = $1 AND " + Route.condition("$2");
    }

    public Uni<Optional<EntryRow>> find(UUID id) {
        return route.execute(id, findById, new Params()).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(EntryColumns.read(it.next(), EntryColumns.Extras.of(rows))) : Optional.empty();
        });
    }

    /**
     * Inserts a new row; empty when the id is taken. The returned row carries no body (the caller has it). On
     * Citus an id the service made ({@code idChosen} false) names its key's route ({@link Route#newId}), so the
     * insert alone keeps it unique, as on PostgreSQL; a client's id is claimed first, in the same transaction
     * ({@link #claimId}).
     */
    public Uni<Optional<EntryRow>> insert(EntryContent c, boolean idChosen) {
        Params args = contentParams(c.id(), c);
        boolean claim = route.citus() && idChosen;
        if (!claim && !c.streamed()) {
            return written(insert, args).map(row -> row.map(r -> r.withBody(c.body()))); // one statement
        }
        return database.transaction(connection -> (claim ? claimId(connection, c) : Uni.createFrom().item(true))
                .chain(free -> !free ? Uni.createFrom().item(Optional.<EntryRow> empty())
                        : !c.streamed() ? run(connection, insert, args).map(rows -> first(rows))
                                : takeBody(connection, c, c.id()).chain(size -> run(connection, insertStreamed,
                                        args.set("body_id", c.bodyId()).set("body_size", size))
                                        .map(rows -> first(rows)))),
                Optional::isEmpty)
                .map(row -> row.map(r -> r.withBody(c.body())));
    }

    /**
     * On Citus, a client's id for a new entry, in the insert's transaction: false when an entry has it. Such an
     * id lives in the id map (whose primary key keeps it unique across the shards) unless it names the new
     * entry's route; an entry of it that is not in the map is in the route the id names. A map row whose entry
     * is gone (a pass that died before it removed the map rows of the entries it purged, cleanup/ShardPurge)
     * is taken over.
     */
    private Uni<Boolean> claimId(SqlConnection connection, EntryContent c) {
        UUID id = c.id();
        boolean routed = Route.routes(id, c.cacheKey());
        return connection.preparedQuery(lockId).execute(Tuple.of(id.toString()))
                .chain(() -> connection.preparedQuery(ByIdRoute.LOCATE).execute(Tuple.of(id)))
                .chain(located -> {
                    var it = located.iterator();
                    if (it.hasNext()) {
                        String key = it.next().getString("cache_key");
                        return connection.preparedQuery(entryExists).execute(Tuple.of(id, key))
                                .chain(found -> found.size() > 0 ? Uni.createFrom().item(false)
                                        : connection.preparedQuery(routed ? unmapId : mapTo)
                                                .execute(routed ? Tuple.of(id) : Tuple.of(id, c.cacheKey()))
                                                .replaceWith(true));
                    }
                    if (routed) {
                        return Uni.createFrom().item(true); // the insert's own conflict tells, in that route
                    }
                    return connection.preparedQuery(routedExists).execute(Tuple.of(id))
                            .chain(found -> found.size() > 0 ? Uni.createFrom().item(false)
                                    : connection.preparedQuery(mapId).execute(Tuple.of(id, c.cacheKey()))
                                            .map(mapped -> mapped.size() > 0));
                });
    }

    /**
     * Replaces the content of an undeleted row whose version matches; empty otherwise. Under its key as
     * it is; when that finds nothing, the row may be under another key: the same change, moving it.
     */
    public Uni<Optional<EntryRow>> replace(UUID id, Long[] ifMatch, EntryContent c, boolean neverExpires) {
        // A TTL of NULL restarted is no expiry at all (now() + NULL is NULL).
        boolean keepTtl = c.ttlSeconds() == null && !neverExpires;
        if (c.streamed()) {
            // The body is taken first, in the replace's transaction: refused, nothing changes; replaced, the
            // entry's previous body is held by no entry and goes with the purge after the upload timeout, so a
            // reader still streaming it finishes.
            return database.transaction(connection -> takeBody(connection, c, id).chain(size -> {
                Params args = contentParams(id, c).set("if_match", ifMatch).set("body_id", c.bodyId())
                        .set("body_size", size);
                return run(connection, keepTtl ? replaceStreamedKeepingTtl : replaceStreamedRestartingTtl, args)
                        .map(rows -> first(rows))
                        .chain(done -> done.isPresent() ? Uni.createFrom().item(done)
                                : route.citus() ? moveOnCitus(connection, id, ifMatch, c, size, keepTtl)
                                        : run(connection, keepTtl ? moveKeyStreamedKeepingTtl : moveKeyStreamedRestartingTtl,
                                                args).map(rows -> first(rows)));
            }), Optional::isEmpty);
        }
        Params args = contentParams(id, c).set("if_match", ifMatch);
        return written(keepTtl ? replaceKeepingTtl : replaceRestartingTtl, args)
                .chain(done -> done.isPresent() ? Uni.createFrom().item(done)
                        : route.citus()
                                ? database.transaction(connection -> moveOnCitus(connection, id, ifMatch, c, null, keepTtl),
                                        Optional::isEmpty)
                                : written(keepTtl ? moveKeyKeepingTtl : moveKeyRestartingTtl, args))
                .map(row -> row.map(r -> r.withBody(c.body())));
    }

    /**
     * Replaces the content of an undeleted row of the same key whose version matches, keeping its body; empty
     * otherwise (also when the row is under another key: the body stays with its key).
     */
    public Uni<Optional<EntryRow>> replaceKeepingBody(UUID id, Long[] ifMatch, EntryContent c, boolean neverExpires) {
        boolean keepTtl = c.ttlSeconds() == null && !neverExpires;
        return written(keepTtl ? replaceKeepingBodyAndTtl : replaceKeepingBodyRestartingTtl,
                contentParams(id, c).set("if_match", ifMatch));
    }

    /**
     * The replace that changes the key, on Citus, in the caller's transaction: the row is taken out of its
     * route and put in under the new key, and the id map follows; empty (nothing changed) when the row is not
     * under another key or the replace's conditions do not hold. {@code bodySize}: the streamed body's the entry
     * takes ({@code c.bodyId()}), null for a body in the JSON.
     */
    private Uni<Optional<EntryRow>> moveOnCitus(SqlConnection connection, UUID id, Long[] ifMatch, EntryContent c,
            Long bodySize, boolean keepTtl) {
        return connection.preparedQuery(lockId).execute(Tuple.of(id.toString()))
                .chain(() -> connection.preparedQuery(ByIdRoute.LOCATE).execute(Tuple.of(id)))
                .chain(located -> run(connection, takeOut, new Params().set("id", id).set("if_match", ifMatch)
                        .set("from_route", ByIdRoute.routeOf(id, located)).set("cache_key", c.cacheKey())))
                .chain(taken -> {
                    var old = taken.iterator();
                    if (!old.hasNext()) {
                        return Uni.createFrom().item(Optional.<EntryRow> empty());
                    }
                    Row was = old.next();
                    Params in = contentParams(id, c)
                            .set("ttl_seconds", keepTtl ? was.getLong("ttl_seconds") : c.ttlSeconds())
                            .set("created_at", was.getOffsetDateTime("created_at"))
                            .set("version", was.getLong("version") + 1)
                            .set("body_id", bodySize == null ? null : c.bodyId()).set("body_size", bodySize)
                            .set("expires_at", was.getOffsetDateTime("expires_at"));
                    boolean routed = Route.routes(id, c.cacheKey());
                    return run(connection, keepTtl ? moveInKeepingTtl : moveInRestartingTtl, in)
                            .call(() -> connection.preparedQuery(routed ? unmapId : mapTo)
                                    .execute(routed ? Tuple.of(id) : Tuple.of(id, c.cacheKey())))
                            .map(rows -> first(rows));
                });
    }

    /** The streamed body the entry takes, in the write's transaction: its size, or a 400 naming response.bodyId. */
    private Uni<Long> takeBody(SqlConnection connection, EntryContent c, UUID entry) {
        return run(connection, takeBody,
                new Params().set("body_id", c.bodyId()).set("cache_key", c.cacheKey()).set("id", entry))
                .map(rows -> {
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
        return writtenById(id, refresh, ifMatch);
    }

    /** Soft-deletes a live or expired row whose version matches; empty otherwise (already deleted among them). */
    public Uni<Optional<EntryRow>> softDelete(UUID id, Long[] ifMatch) {
        return writtenById(id, softDelete, ifMatch);
    }

    /** Undoes the soft delete of a row inside its grace period whose version matches; empty otherwise. */
    public Uni<Optional<EntryRow>> restore(UUID id, Long[] ifMatch) {
        return writtenById(id, restore, ifMatch);
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
        return database.lookup(keyLookupStatement(q), t).chain(rows -> !q.includeBody() || allFit(rows)
                ? Uni.createFrom().item(page(rows, q))
                // A body too large for the first step: the capped statement cuts the page (KeyLookupStatements).
                : database.lookup(keyLookups.capped(q), t).map(capped -> page(capped, q)));
    }

    private static boolean allFit(RowSet<Row> rows) {
        EntryColumns.Extras extras = EntryColumns.Extras.of(rows);
        for (Row row : rows) {
            if (!extras.fits(row)) {
                return false;
            }
        }
        return true;
    }

    /** The rows up to the first without its body (past the byte cap), and how many matched. */
    private static KeyPage page(RowSet<Row> rows, KeyQuery q) {
        EntryColumns.Extras extras = EntryColumns.Extras.of(rows);
        List<EntryRow> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (!extras.fits(row)) {
                break; // past the byte cap: this row and the rest came without bodies
            }
            out.add(EntryColumns.read(row, extras));
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

    /** The entry's content as the values of its columns' parameters ({@link EntryColumns#contentParams}), :id the entry's. */
    private static Params contentParams(UUID id, EntryContent c) {
        return EntryColumns.contentParams(new Params().set("id", id), c);
    }

    /** One statement of a write's transaction, on its connection. */
    private static Uni<RowSet<Row>> run(SqlConnection connection, NamedSql sql, Params params) {
        return connection.preparedQuery(sql.sql()).execute(sql.bind(params));
    }

    /** A write's one row, its state judged at the instant the write read ({@link EntryColumns#readWritten}). */
    private Uni<Optional<EntryRow>> written(NamedSql sql, Params args) {
        return database.execute(sql, args).map(rows -> first(rows));
    }

    /** A by-id write ({@link ByIdRoute}) of the row whose version matches {@code ifMatch}: returns the body. */
    private Uni<Optional<EntryRow>> writtenById(UUID id, NamedSql sql, Long[] ifMatch) {
        return route.execute(id, sql, new Params().set("if_match", ifMatch)).map(rows -> first(rows));
    }

    private Optional<EntryRow> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(EntryColumns.readWritten(it.next(), EntryColumns.Extras.of(rows), lifecycle))
                : Optional.empty();
    }
}
