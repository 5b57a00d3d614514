package io.cachekeeper.cleanup;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.database.Database;
import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The purge's heap path: the table is swept in physical order, chunk by chunk of {@link #CHUNK_PAGES}
 * pages, with TID range scans (PostgreSQL 14+): sequential reads, and no row locks, so a purged row
 * costs the WAL of a plain DELETE and nothing more. Chosen when many rows are eligible
 * ({@link PurgePlanner}); the index path ({@link PurgeBatch}) serves the sparse case.
 *
 * <p>
 * Chunks are handed out by {@code nextval('cache_entry_sweep_seq')}: ticket t is chunk
 * {@code t mod chunks}. A sequence never blocks and never gives a number twice, so the workers of
 * this pass, and the passes of other replicas running at the same time, take disjoint chunks; a pass
 * ends once a whole cycle of tickets (one per chunk) has been handed out since it started, by whoever.
 *
 * <p>
 * A batch deletes at most {@code batch-size} rows of its chunk, in one statement (one short
 * transaction, committed asynchronously like {@link PurgeBatch}); a chunk with more eligible rows
 * takes further batches that resume after the last row deleted. The DELETE itself re-checks
 * eligibility on the row version it deletes (a TID scan does not re-check its TID condition): a
 * restore that commits first wins, and a row a writer holds is waited for only for that writer's own
 * one-statement transaction.
 */
@ApplicationScoped
public class HeapSweep {

    /**
     * 64 pages (512 KiB): with ~600-byte entries about 960 rows, so at 60% eligible a chunk fills
     * about three batches of 200; fewer, larger chunks mean fewer tickets and round trips.
     */
    static final int CHUNK_PAGES = 64;

    private final Database database;
    private final String start;
    private final String claim;
    private final String resume;

    public HeapSweep(Database database, Lifecycle lifecycle) {
        this.database = database;
        String eligible = "(" + lifecycle.purgeable() + " OR " + lifecycle.stale() + ")";
        // $1 batch size; %s the TID range. Bounds from parameters or initplans are pseudo-constants, so the
        // candidates come from a TID range scan, and the DELETE is a TID scan of them. A batch is "full"
        // when it found $1 candidates, whether or not a writer took some of them meanwhile: the chunk may
        // hold more, and the next batch resumes after the last candidate.
        String delete = "found AS MATERIALIZED (SELECT ARRAY(SELECT ctid FROM cache_entry WHERE %s AND " + eligible
                + " LIMIT $1) AS tids),"
                + " gone AS (DELETE FROM cache_entry WHERE ctid = ANY((SELECT tids FROM found)::tid[])"
                + " AND " + eligible
                + " AND " + Database.ASYNC_COMMIT
                + " RETURNING deleted_at IS NOT NULL AS soft)";
        String tally = " (SELECT cardinality(tids) FROM found), (SELECT max(t)::text FROM found, unnest(tids) t),"
                + " count(*) FILTER (WHERE soft), count(*) FILTER (WHERE NOT soft) FROM gone";
        start = "SELECT nextval('cache_entry_sweep_seq'),"
                + " greatest(1, ceil(pg_relation_size('cache_entry') / current_setting('block_size')::numeric / "
                + CHUNK_PAGES + "))::bigint";
        // $2 chunks in the cycle, $3 the first ticket past this pass's cycle. A ticket past it is still
        // worked: it may lie inside the cycle of another replica's pass that started later, which counts
        // on every ticket it did not take being worked by someone. The worker stops after that chunk.
        claim = "WITH claim AS MATERIALIZED (SELECT t, t < $3 AS in_cycle, (t % $2) * " + CHUNK_PAGES + " AS first_page"
                + " FROM (SELECT nextval('cache_entry_sweep_seq') AS t) s), "
                + delete.formatted("ctid >= (SELECT format('(%s,0)', first_page)::tid FROM claim)"
                        + " AND ctid < (SELECT format('(%s,0)', first_page + " + CHUNK_PAGES + ")::tid FROM claim)")
                + " SELECT (SELECT t FROM claim), (SELECT first_page FROM claim), (SELECT in_cycle FROM claim)," + tally;
        // $2 resume after this TID (exclusive), $3 the chunk's end (exclusive).
        resume = "WITH " + delete.formatted("ctid > $2::text::tid AND ctid < $3::text::tid")
                + " SELECT NULL::bigint, NULL::bigint, true," + tally;
    }

    /** Starts a sweep: its first ticket (a chunk of its own) and the number of chunks in the table now. */
    public Uni<Sweep> start() {
        return database.query(start).map(rows -> {
            Row r = rows.iterator().next();
            return new Sweep(r.getLong(0), r.getLong(1));
        });
    }

    /** Claims the next chunk of the sweep and deletes its first batch, on the worker's connection. */
    public Uni<Batch> claim(SqlConnection connection, Sweep sweep, int limit) {
        return run(connection, claim, Tuple.of((long) limit, sweep.chunks(), sweep.end()), null);
    }

    /**
     * The sweep's own first chunk (its start ticket), as if a batch had just ended at its start, so that
     * {@link #resume} works through it. Offsets start at 1: "after (page,0)" is the whole chunk.
     */
    public Batch firstChunk(Sweep sweep) {
        long page = (sweep.firstTicket() % sweep.chunks()) * CHUNK_PAGES;
        return new Batch(sweep.firstTicket(), page, "(" + page + ",0)", 0, 0, true, true);
    }

    /** The next batch of a chunk whose last batch was full: the rows after the last one deleted. */
    public Uni<Batch> resume(SqlConnection connection, Batch last, int limit) {
        String end = "(" + (last.firstPage() + CHUNK_PAGES) + ",0)";
        return run(connection, resume, Tuple.of((long) limit, last.lastTid(), end), last);
    }

    private Uni<Batch> run(SqlConnection connection, String sql, Tuple args, Batch chunk) {
        long limit = args.getLong(0);
        return database.statement(connection, connection.preparedQuery(sql).execute(args)).map(rows -> {
            Row r = rows.iterator().next();
            long ticket = chunk == null ? r.getLong(0) : chunk.ticket();
            long firstPage = chunk == null ? r.getLong(1) : chunk.firstPage();
            boolean inCycle = chunk == null ? r.getBoolean(2) : chunk.inCycle();
            return new Batch(ticket, firstPage, r.getString(4), r.getLong(5), r.getLong(6), inCycle,
                    r.getLong(3) >= limit);
        });
    }

    /** A sweep as one pass sees it: its first ticket and the chunk count of the table at its start. */
    public record Sweep(long firstTicket, long chunks) {
        /** The first ticket past one full cycle: from there on, chunks repeat. */
        long end() {
            return firstTicket + chunks;
        }
    }

    /**
     * One batch: the chunk it worked in ({@code inCycle} false when its ticket was past this pass's
     * cycle: the worker's last chunk), the last candidate TID it found (null for none), the rows it deleted by reason, and
     * whether it found
     * a full batch of candidates (then the chunk may hold more: {@link #resume}).
     */
    public record Batch(long ticket, long firstPage, String lastTid, long deleted, long expired, boolean inCycle,
            boolean full) {
    }
}
