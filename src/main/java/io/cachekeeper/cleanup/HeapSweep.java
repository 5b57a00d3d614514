package io.cachekeeper.cleanup;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * The purge's heap path: the table is swept in physical order, chunk by chunk of {@link #CHUNK_PAGES}
 * pages, each chunk range by range with one plain {@code DELETE} over a TID range (PostgreSQL 14+):
 * sequential reads, no row locks and no separate search for the rows, so a purged row costs what it
 * costs in one big DELETE, in time and in WAL. Chosen when many rows are eligible
 * ({@link PurgePlanner}); the index path ({@link PurgeBatch}) serves the sparse case.
 *
 * <p>
 * Chunks are handed out by {@code nextval('cache_entry_sweep_seq')}: ticket t is chunk
 * {@code t mod chunks}. A sequence never blocks and never gives a number twice, so the workers of
 * this pass, and the passes of other replicas running at the same time, take disjoint chunks; a pass
 * ends once a whole cycle of tickets (one per chunk) has been handed out since it started, by whoever.
 * A ticket can still name a chunk another lane is sweeping (tickets wrap around, and a lane works its
 * last ticket even past its pass's cycle), so a lane sweeps a chunk only while it holds the chunk's
 * session advisory lock, taken with {@code pg_try_advisory_lock} in the claim: a chunk someone else
 * sweeps right now is skipped (they finish it) instead of queueing behind their deletes' row locks.
 * Replicas thus never wait on each other. The lock goes with the next claim, or with the sweep's end
 * ({@link #inSweepSession}); a connection that dies takes its locks with it.
 *
 * <p>
 * A DELETE has no LIMIT: the batch-size promise is kept by sizing each range from the density the lane
 * has seen ({@link SweepCursor}) and by {@code cache_entry_purge_cap} (migration V6), which fails a
 * statement that deleted more than a batch, so that its transaction rolls back and the lane retries a
 * smaller range ({@link RangeResult#overCap}). Each range is one statement, one short transaction,
 * committed asynchronously like {@link PurgeBatch}. The DELETE checks eligibility on the row version it
 * deletes (a row updated meanwhile is re-checked): a restore that commits first wins, and a row a writer
 * holds is waited for only for that writer's own one-statement transaction.
 */
@ApplicationScoped
public class HeapSweep {

    private static final Logger LOG = Logger.getLogger(HeapSweep.class);

    /**
     * 256 pages (2 MiB): with ~800-byte entries about 2,500 rows, nine ranges of a batch at 60% eligible.
     * Ranges are spread evenly over a chunk, so a chunk of few ranges leaves each well under the batch
     * size (more batches for the same rows: docs/performance.md, "Figures behind the code"), and each chunk
     * costs a claim.
     */
    static final int CHUNK_PAGES = 256;

    /** The SQLSTATE of {@code cache_entry_purge_cap}'s failure; its DETAIL is the count of rows. */
    public static final String OVER_CAP = "CK001";

    /**
     * The advisory lock keys of chunk k are ({@link #LOCK_CLASS}, k): the two-key form, a key space apart
     * from {@link SizeCapEviction}'s one-key lock.
     */
    static final int LOCK_CLASS = 0x636b_7377; // "cksw"

    private final Database database;
    private final NamedSql start;
    private final NamedSql claim;
    private final NamedSql take;
    private final NamedSql deleteRange;
    private final NamedSql genericPlans;
    private final NamedSql sweepEnd;

    public HeapSweep(Database database, SqlCatalogue catalogue) {
        this.database = database;
        this.start = catalogue.get("sweep-start");
        this.claim = catalogue.get("sweep-claim");
        this.take = catalogue.get("sweep-take");
        this.deleteRange = catalogue.get("sweep-range");
        this.genericPlans = catalogue.get("sweep-generic-plans");
        this.sweepEnd = catalogue.get("sweep-end");
    }

    /** Starts a sweep: its first ticket and the table's pages now. */
    public Uni<Sweep> start() {
        return database.execute(start).map(rows -> {
            Row r = rows.iterator().next();
            return new Sweep(r.getLong("ticket"), r.getLong("pages"), SweepCursor.slotsPerPage(r.getInteger("block_size")));
        });
    }

    /**
     * Runs a worker's sweep on {@code connection} with the range DELETE on its generic plan (sql/purge.sql,
     * sweep-generic-plans: planning was a fifth of a batch); at its end, failed or not, the connection goes back to
     * the pool as it came.
     */
    public <T> Uni<T> inSweepSession(SqlConnection connection, Uni<T> sweep) {
        return database.inSession(connection, genericPlans)
                .chain(() -> sweep)
                .eventually(() -> database.inSession(connection, sweepEnd));
    }

    /** Lane {@code index} of a pass's sweep, deleting at most {@code batchSize} rows per range. */
    public Lane lane(Sweep sweep, int index, int batchSize) {
        return new Lane(sweep, index == 0, batchSize);
    }

    /**
     * One lane's part in a sweep, the protocol in one place: the pass's first lane starts with the sweep's own
     * first chunk, every lane then claims chunk after chunk by ticket, sweeps a chunk it holds range by range
     * ({@link SweepCursor}) and skips one another lane holds, and is done once it has swept a chunk past its
     * pass's cycle. The caller runs the steps ({@link #takeChunk} when {@link #needsChunk}, else
     * {@link #deleteNext}) until {@link #finished}.
     */
    public final class Lane {

        private final Sweep sweep;
        private final boolean startsTheSweep;
        private final int batchSize;
        private final SweepCursor cursor;

        private Lane(Sweep sweep, boolean startsTheSweep, int batchSize) {
            this.sweep = sweep;
            this.startsTheSweep = startsTheSweep;
            this.batchSize = batchSize;
            this.cursor = new SweepCursor(batchSize, sweep.slotsPerPage());
        }

        /** Whether the next step takes a chunk: the lane has none yet, or has swept its own. */
        public boolean needsChunk() {
            return cursor.needsChunk();
        }

        /** Whether the lane is done. */
        public boolean finished() {
            return cursor.finished();
        }

        /** Takes the lane's next chunk: empty (swept at once) when another lane holds it. */
        public Uni<Void> takeChunk(SqlConnection connection) {
            Uni<Chunk> next = startsTheSweep && cursor.chunk() == null
                    ? takeFirst(connection, sweep)
                    : claim(connection, sweep, cursor.chunk());
            return next.invoke(cursor::enter).replaceWithVoid();
        }

        /** Deletes the next range of the lane's chunk; a range rolled back for holding more than a batch is retried smaller. */
        public Uni<RangeResult> deleteNext(SqlConnection connection) {
            SweepCursor.TidRange range = cursor.next();
            return delete(connection, range, batchSize).invoke(r -> {
                if (!cursor.learn(range, r.deleted() + r.expired(), r.overCap())) {
                    LOG.debugf("purge range %s-%s held %d rows, over the batch size; retrying smaller",
                            range.fromTid(), range.toTid(), r.overCap());
                }
            });
        }
    }

    /** Takes the sweep's own first chunk, on the worker's connection: an empty chunk if someone sweeps it. */
    private Uni<Chunk> takeFirst(SqlConnection connection, Sweep sweep) {
        Chunk first = sweep.firstChunk();
        return database.inSession(connection, take, new Params().set("lock_class", LOCK_CLASS).set("chunk", first.index()))
                .map(rows -> rows.iterator().next().getBoolean("mine") ? first : first.skipped());
    }

    /**
     * Claims the sweep's next chunk on the worker's connection, letting go of the lane's {@code previous}
     * one (null for none): an empty chunk if someone else sweeps it.
     */
    private Uni<Chunk> claim(SqlConnection connection, Sweep sweep, Chunk previous) {
        int held = previous != null && previous.held() ? previous.index() : -1;
        return database.inSession(connection, claim,
                new Params().set("lock_class", LOCK_CLASS).set("chunks", sweep.chunks()).set("held", held))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    Chunk chunk = sweep.chunk(r.getLong("ticket"));
                    return r.getBoolean("mine") ? chunk : chunk.skipped();
                });
    }

    /** Deletes the eligible rows of one range in its own transaction, unless they are more than {@code batchSize}. */
    public Uni<RangeResult> delete(SqlConnection connection, SweepCursor.TidRange range, int batchSize) {
        Params args = new Params().set("batch_size", (long) batchSize).set("from_tid", range.fromTid())
                .set("to_tid", range.toTid());
        return database.inSession(connection, deleteRange, args)
                .map(rows -> {
                    Row r = rows.iterator().next();
                    long soft = r.getLong("purged_deleted");
                    return new RangeResult(soft, r.getLong("purged") - soft, 0);
                })
                .onFailure(HeapSweep::overCap)
                .recoverWithItem(e -> new RangeResult(0, 0, Long.parseLong(((PgException) e).getDetail())));
    }

    private static boolean overCap(Throwable e) {
        return e instanceof PgException pg && OVER_CAP.equals(pg.getSqlState());
    }

    /** A sweep as one pass sees it: its first ticket, the table's pages at its start, and a page's TID slots. */
    public record Sweep(long firstTicket, long pages, int slotsPerPage) {

        /** Chunks in one cycle of tickets. */
        long chunks() {
            return (pages + CHUNK_PAGES - 1) / CHUNK_PAGES;
        }

        /** The sweep's own first chunk. */
        Chunk firstChunk() {
            return chunk(firstTicket);
        }

        /**
         * A ticket's chunk, up to the table's end as the pass found it (pages added later hold rows written
         * after its start: the next pass's). A ticket past this pass's cycle is still worked: it may lie
         * inside the cycle of another replica's pass that started later, which counts on every ticket it
         * did not take being worked by someone. The lane stops after that chunk.
         */
        Chunk chunk(long ticket) {
            long first = (ticket % chunks()) * CHUNK_PAGES;
            return new Chunk(first, Math.min(first + CHUNK_PAGES, pages), ticket < firstTicket + chunks());
        }
    }

    /**
     * Pages {@code [firstPage, endPage)} of the table; {@code inCycle} false for the lane's last chunk. A
     * chunk the lane took is never empty (it starts before the table's end); a skipped one is.
     */
    public record Chunk(long firstPage, long endPage, boolean inCycle) {

        /** Its number, the second key of its advisory lock: the same in every pass whatever the table's size. */
        int index() {
            return (int) (firstPage / CHUNK_PAGES);
        }

        /** Whether the lane holds it (and sweeps it). */
        boolean held() {
            return endPage > firstPage;
        }

        /** Nothing to sweep here: someone else holds the chunk. */
        Chunk skipped() {
            return new Chunk(firstPage, firstPage, inCycle);
        }
    }

    /**
     * What a range's statement did: the rows purged by reason, or, when the range held more than a batch
     * and was rolled back, how many it held ({@code overCap} &gt; 0, nothing purged).
     */
    public record RangeResult(long deleted, long expired, long overCap) {

        /** No statement ran: the lane claimed a chunk. */
        static final RangeResult NONE = new RangeResult(0, 0, 0);
    }
}
