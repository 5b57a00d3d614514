package io.cachekeeper.entry;

import java.time.OffsetDateTime;
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
import io.cachekeeper.database.SqlCatalogue;
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

    /** The first page of a key lookup starts after this cursor: before every row (year 1, within PostgreSQL's range). */
    private static final OffsetDateTime BEFORE_ANY = OffsetDateTime.parse("0001-01-01T00:00:00Z");
    private static final UUID FIRST_ID = new UUID(0, 0);

    private final Database database;
    private final Lifecycle lifecycle;
    private final IdPlacement ids;
    private final int invalidationBatch;
    private final double invalidationShare;
    private final ApiCalls api;
    private final Vertx vertx;
    private final NamedSql findById;
    private final NamedSql insert;
    private final NamedSql replaceKeepingTtl;
    private final NamedSql replaceRestartingTtl;
    private final NamedSql replaceKeepingBodyAndTtl;
    private final NamedSql replaceKeepingBodyRestartingTtl;
    private final NamedSql takeBody;
    private final NamedSql refresh;
    private final NamedSql softDelete;
    private final NamedSql restore;
    private final NamedSql softDeleteByKey;
    private final NamedSql invalidateTags;
    private final NamedSql invalidateUrlPrefix;
    private final NamedSql invalidateUrlPrefixUnbounded;
    private final NamedSql byKey;
    private final NamedSql byKeyWithBodies;
    private final NamedSql byKeyCapped;

    public EntryRepository(Database database, SqlCatalogue catalogue, IdPlacement ids, Lifecycle lifecycle,
            CachekeeperConfig config, ApiCalls api, Vertx vertx) {
        this.database = database;
        this.lifecycle = lifecycle;
        this.ids = ids;
        this.invalidationBatch = config.invalidation().batchSize();
        this.invalidationShare = config.invalidation().shareUnderLoad();
        this.api = api;
        this.vertx = vertx;
        this.findById = catalogue.get("entry-by-id");
        this.insert = catalogue.get("entry-insert");
        this.replaceKeepingTtl = catalogue.get("entry-replace-keeping-ttl");
        this.replaceRestartingTtl = catalogue.get("entry-replace-restarting-ttl");
        this.replaceKeepingBodyAndTtl = catalogue.get("entry-replace-keeping-body-and-ttl");
        this.replaceKeepingBodyRestartingTtl = catalogue.get("entry-replace-keeping-body-restarting-ttl");
        this.takeBody = catalogue.get("entry-take-body");
        this.refresh = catalogue.get("entry-refresh");
        this.softDelete = catalogue.get("entry-soft-delete");
        this.restore = catalogue.get("entry-restore");
        this.softDeleteByKey = catalogue.get("entries-soft-delete-by-key");
        this.invalidateTags = catalogue.get("entries-invalidate-tags");
        this.invalidateUrlPrefix = catalogue.get("entries-invalidate-url-prefix");
        this.invalidateUrlPrefixUnbounded = catalogue.get("entries-invalidate-url-prefix-unbounded");
        this.byKey = catalogue.get("entries-by-key");
        this.byKeyWithBodies = catalogue.get("entries-by-key-with-bodies");
        this.byKeyCapped = catalogue.get("entries-by-key-capped");
    }

    public Uni<Optional<EntryRow>> find(UUID id) {
        return ids.byId(id, findById, new Params()).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(EntryColumns.read(it.next(), EntryColumns.Layout.of(rows))) : Optional.empty();
        });
    }

    /**
     * Inserts a new row; empty when the id is taken. The returned row carries no body (the caller has it). An id
     * the service made names its key's route ({@link Route#newId}), so the insert alone keeps it unique; a
     * client's id is claimed first where the store needs it ({@link IdPlacement#claim}), in the same transaction.
     */
    public Uni<Optional<EntryRow>> insert(EntryContent c, boolean idChosen) {
        Params args = contentParams(c.id(), c);
        boolean claim = idChosen && ids.claimsClientIds();
        if (!claim && !c.streamed()) {
            return written(insert, args).map(row -> row.map(r -> r.withBody(c.body()))); // one statement
        }
        return database.transaction(connection -> (claim ? ids.claim(connection, c.id(), c.cacheKey())
                : Uni.createFrom().item(true))
                .chain(free -> !free ? Uni.createFrom().item(Optional.<EntryRow> empty())
                        : !c.streamed() ? Database.run(connection, insert, args).map(rows -> first(rows))
                                : takeBody(connection, c, c.id()).chain(size -> Database.run(connection, insert,
                                        args.set("body_size", size)).map(rows -> first(rows)))),
                Optional::isEmpty)
                .map(row -> row.map(r -> r.withBody(c.body())));
    }

    /**
     * Replaces the content of an undeleted row whose version matches; empty otherwise. Under its key as
     * it is; when that finds nothing, the row may be under another key: the same change, moving it
     * ({@link IdPlacement#moveKey}).
     */
    public Uni<Optional<EntryRow>> replace(UUID id, Long[] ifMatch, EntryContent c, boolean neverExpires) {
        // A TTL of NULL restarted is no expiry at all (now() + NULL is NULL).
        boolean keepTtl = c.ttlSeconds() == null && !neverExpires;
        NamedSql sameKey = keepTtl ? replaceKeepingTtl : replaceRestartingTtl;
        Params args = contentParams(id, c).set("if_match", ifMatch);
        if (c.streamed()) {
            // The body is taken first, in the replace's transaction: refused, nothing changes; replaced, the
            // entry's previous body is held by no entry and goes with the purge after the upload timeout, so a
            // reader still streaming it finishes.
            return database.transaction(connection -> takeBody(connection, c, id).chain(size -> {
                args.set("body_size", size);
                return Database.run(connection, sameKey, args).map(rows -> first(rows))
                        .chain(done -> done.isPresent() ? Uni.createFrom().item(done)
                                : ids.moveKey(connection, id, c.cacheKey(), args, keepTtl).map(rows -> first(rows)));
            }), Optional::isEmpty);
        }
        return written(sameKey, args)
                .chain(done -> done.isPresent() ? Uni.createFrom().item(done)
                        : database.transaction(connection -> ids.moveKey(connection, id, c.cacheKey(), args, keepTtl)
                                .map(rows -> first(rows)), Optional::isEmpty))
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

    /** The streamed body the entry takes, in the write's transaction: its size, or a 400 naming response.bodyId. */
    private Uni<Long> takeBody(SqlConnection connection, EntryContent c, UUID entry) {
        return Database.run(connection, takeBody,
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
        return database.execute(softDeleteByKey, new Params().set("cache_key", key)).map(RowSet::rowCount);
    }

    /**
     * Soft-deletes every live entry whose URL starts with the prefix, in batches ({@link #invalidate});
     * {@code upperBound}: the least string above every string starting with the prefix, or null.
     */
    public Uni<Long> softDeleteByUrlPrefix(String prefix, String upperBound) {
        Params args = new Params().set("prefix", prefix);
        return upperBound == null ? invalidate(invalidateUrlPrefixUnbounded, args)
                : invalidate(invalidateUrlPrefix, args.set("upper_bound", upperBound));
    }

    /** Soft-deletes every live entry that carries any of the tags, in batches ({@link #invalidate}). */
    public Uni<Long> softDeleteByTags(List<String> tags) {
        return invalidate(invalidateTags, new Params().set("tags", tags.toArray(String[]::new)));
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
    private Uni<Long> invalidate(NamedSql sql, Params args) {
        args.set("batch_size", (long) invalidationBatch);
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
        Params args = keyLookupParams(q);
        return database.lookup(keyLookupStatement(q), args).chain(rows -> !q.includeBody() || allFit(rows)
                ? Uni.createFrom().item(page(rows, q))
                // A body too large for the first step: the capped statement cuts the page (sql/entries.sql).
                : database.lookup(byKeyCapped, args).map(capped -> page(capped, q)));
    }

    /** The parameters of a key lookup's statements. */
    static Params keyLookupParams(KeyQuery q) {
        return new Params().set("cache_key", q.key()).set("limit", (long) q.limit())
                .set("include_deleted", q.includeDeleted()).set("include_expired", q.includeExpired())
                .set("after_created_at", q.after() == null ? BEFORE_ANY : q.after().at())
                .set("after_id", q.after() == null ? FIRST_ID : q.after().id())
                .set("page_bytes", KeyQuery.PAGE_BODY_BYTES);
    }

    private static boolean allFit(RowSet<Row> rows) {
        EntryColumns.Layout layout = EntryColumns.Layout.of(rows);
        for (Row row : rows) {
            if (!layout.fits(row)) {
                return false;
            }
        }
        return true;
    }

    /** The rows up to the first without its body (past the byte cap), and how many matched. */
    private static KeyPage page(RowSet<Row> rows, KeyQuery q) {
        EntryColumns.Layout layout = EntryColumns.Layout.of(rows);
        List<EntryRow> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (!layout.fits(row)) {
                break; // past the byte cap: this row and the rest came without bodies
            }
            out.add(EntryColumns.read(row, layout));
        }
        return new KeyPage(out, rows.size());
    }

    /** The statement a key lookup runs first: with bodies, the step that takes the bodies that surely fit. */
    NamedSql keyLookupStatement(KeyQuery q) {
        return q.includeBody() ? byKeyWithBodies : byKey;
    }

    /** With bodies, the statement that cuts a page of large bodies at the byte cap (same parameters). */
    NamedSql cappedKeyLookupStatement() {
        return byKeyCapped;
    }

    /** Rows of a key lookup and how many matched (more than the rows when the byte cap cut the page). */
    public record KeyPage(List<EntryRow> rows, long found) {
    }

    /** The entry's content as the values of its columns' parameters ({@link EntryColumns#contentParams}), :id the entry's. */
    private static Params contentParams(UUID id, EntryContent c) {
        return EntryColumns.contentParams(new Params().set("id", id), c);
    }

    /** A write's one row, its state judged at the instant the write read ({@link EntryColumns#readWritten}). */
    private Uni<Optional<EntryRow>> written(NamedSql sql, Params args) {
        return database.execute(sql, args).map(rows -> first(rows));
    }

    /** A by-id write ({@link IdPlacement#byId}) of the row whose version matches {@code ifMatch}: returns the body. */
    private Uni<Optional<EntryRow>> writtenById(UUID id, NamedSql sql, Long[] ifMatch) {
        return ids.byId(id, sql, new Params().set("if_match", ifMatch)).map(rows -> first(rows));
    }

    private Optional<EntryRow> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(EntryColumns.readWritten(it.next(), EntryColumns.Layout.of(rows), lifecycle))
                : Optional.empty();
    }
}
