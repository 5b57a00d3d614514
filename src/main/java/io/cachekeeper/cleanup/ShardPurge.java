package io.cachekeeper.cleanup;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.database.Database;
import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The purge on Citus: the heap sweep ({@link HeapSweep}) run shard by shard on the workers. Through the
 * coordinator, Citus refuses a ctid condition on a distributed table, and a statement over the whole table
 * would lock rows on every shard at once. So each range runs on the worker that holds the shard, as a
 * function distributed with {@code cache_entry} ({@link #FUNCTION}): called with a key of the shard (its
 * anchor), Citus sends the call there, and the function deletes the eligible rows of a TID range of that
 * shard's own table with one plain {@code DELETE}, as the heap sweep does on PostgreSQL: no row locks, no
 * search for the rows, so a row costs what it costs in one big DELETE. The range is sized by
 * {@link SweepCursor} from the density seen so far, and {@code cache_entry_purge_cap} (V6, distributed to
 * the workers) rolls back a range that held more than a batch, which the lane retries smaller.
 *
 * <p>
 * A lane sweeps a shard only while its coordinator session holds the shard's advisory lock
 * ({@code pg_try_advisory_lock}, never waiting): replicas connect to the same coordinator, so two passes
 * never sweep one shard at once (their DELETEs would queue behind each other's rows); a shard someone
 * sweeps now is skipped, its holder sweeps it to the end. Rows are judged at the coordinator's clock, read
 * once at the start of the pass; the DELETE re-checks eligibility on the row version it deletes, so a
 * restore that commits first wins. The function returns the ids it deleted with their hashes, whose id map
 * rows the pass removes later, many ranges at once, grouped by map shard ({@link #unmap}).
 */
@ApplicationScoped
public class ShardPurge {

    static final String FUNCTION = "cache_entry_sweep_shard";

    /**
     * Every shard of {@code cache_entry}: its id, one key that Citus places in it (its anchor: the least of 64
     * generated keys per shard, which leaves a shard without one with a chance of about e^-64) and its pages
     * now (the sweep's end: pages added later hold rows written after the pass's start).
     */
    private static final String SHARDS = """
            WITH shards AS (SELECT shardid FROM pg_dist_shard WHERE logicalrelid = 'cache_entry'::regclass),
            anchors AS (
                SELECT get_shard_id_for_distribution_column('cache_entry', k) AS shardid, min(k) AS anchor
                FROM (SELECT 'shard-' || i AS k FROM generate_series(1, 64 * (SELECT count(*) FROM shards)) i) candidates
                GROUP BY 1),
            sizes AS (
                SELECT shardid, success, result FROM run_command_on_shards('cache_entry',
                    $$SELECT pg_relation_size('%s') / current_setting('block_size')::bigint$$))
            SELECT shardid, anchor, success, result FROM shards LEFT JOIN anchors USING (shardid) LEFT JOIN sizes USING (shardid)
            ORDER BY shardid
            """;

    /** The advisory lock keys of a shard are ({@link #LOCK_CLASS}, shard id), apart from the heap sweep's. */
    static final int LOCK_CLASS = 0x636b_7368; // "cksh"

    /** The shard's lock ($1) if nobody holds it; the lane's previous shard ($2, -1 for none) let go of. */
    private static final String CLAIM = """
            SELECT CASE WHEN $2 >= 0 THEN pg_advisory_unlock(%1$d, $2::int) END AS released,
                   pg_try_advisory_lock(%1$d, $1::int) AS mine
            """.formatted(LOCK_CLASS);

    /** What a sweep leaves on its coordinator session: no shard lock. */
    private static final String SWEEP_END = "SELECT pg_advisory_unlock_all()";

    /** $1 anchor, $2 and $3 the range's TIDs (from inclusive, to exclusive), $4 batch size, $5 the pass's clock. */
    private static final String RANGE = "SELECT " + FUNCTION + "($1, $2::text::tid, $3::text::tid, $4, $5) AS purged";

    static final String UNMAP_FUNCTION = "cache_entry_unmap_shard";
    /**
     * The id map's shards by the hash values they hold (Citus splits the 32-bit hash range among them): the
     * range function returns {@code worker_hash(id)} of each id it deleted, so that the pass groups the ids by
     * map shard itself. Grouping them on the coordinator ({@code get_shard_id_for_distribution_column} per id)
     * cost ~97 ms per 10,000 ids (psql, this machine's cluster).
     */
    private static final String MAP_SHARDS = """
            SELECT shardid, shardminvalue::int AS min FROM pg_dist_shard
            WHERE logicalrelid = 'cache_entry_id'::regclass ORDER BY 2
            """;
    /** $1 anchor (one of the ids: it routes the call to their map shard), $2 the ids of that shard. */
    private static final String UNMAP = "SELECT " + UNMAP_FUNCTION + "($1, $2)";

    /** Purged ids a pass collects before it removes their id map rows ({@link #unmap}): at most ~1 MiB of ids. */
    static final int UNMAP_EVERY = 50_000;

    private final Database database;

    public ShardPurge(Database database) {
        this.database = database;
    }

    /** Every shard with its anchor and pages, and the pass's clock. */
    public Uni<Work> start() {
        return database.query(SHARDS).chain(rows -> {
            List<Shard> shards = new ArrayList<>();
            for (Row row : rows) {
                if (row.getString("anchor") == null || !Boolean.TRUE.equals(row.getBoolean("success"))) {
                    return Uni.createFrom().<Work> failure(new IllegalStateException("shard " + row.getLong("shardid")
                            + " of cache_entry: no key found for it, or its size unreadable (" + row.getString("result")
                            + ")"));
                }
                shards.add(new Shard(row.getLong("shardid"), row.getString("anchor"), Long.parseLong(row.getString("result"))));
            }
            return database.query(MAP_SHARDS).chain(map -> {
                List<Long> ids = new ArrayList<>();
                List<Integer> mins = new ArrayList<>();
                for (Row row : map) {
                    ids.add(row.getLong("shardid"));
                    mins.add(row.getInteger("min"));
                }
                return database.query(Lifecycle.NOW).map(now -> new Work(shards, now.iterator().next().getOffsetDateTime(0),
                        new Unmapping(mins.stream().mapToInt(Integer::intValue).toArray())));
            });
        });
    }

    /** The shards to sweep, the instant the pass judges at, and the purged ids whose id map rows are still to go. */
    public record Work(List<Shard> shards, OffsetDateTime clock, Unmapping unmapping) {
    }

    /**
     * The purged ids whose id map rows are still to go, grouped by the map's shard that holds them (by their
     * hash, as Citus places them: shard i holds the hashes from {@code mins[i]} to the next shard's minimum).
     */
    public static final class Unmapping {

        private final int[] mins;
        private final List<java.util.Queue<UUID>> groups = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

        Unmapping(int[] mins) {
            this.mins = mins;
            for (int i = 0; i < mins.length; i++) {
                groups.add(new java.util.concurrent.ConcurrentLinkedQueue<>());
            }
        }

        void add(List<UUID> ids, List<Integer> hashes) {
            for (int i = 0; i < ids.size(); i++) {
                int at = java.util.Arrays.binarySearch(mins, hashes.get(i));
                groups.get(at >= 0 ? at : -at - 2).add(ids.get(i));
            }
            pending.addAndGet(ids.size());
        }

        /** Whether {@code most} ids or more wait. */
        boolean over(int most) {
            return pending.get() >= most;
        }

        /** Takes every waiting id, by map shard (empty groups left out). */
        List<List<UUID>> drain() {
            List<List<UUID>> out = new ArrayList<>();
            for (java.util.Queue<UUID> group : groups) {
                List<UUID> ids = new ArrayList<>();
                for (UUID id; (id = group.poll()) != null;) {
                    ids.add(id);
                }
                pending.addAndGet(-ids.size());
                if (!ids.isEmpty()) {
                    out.add(ids);
                }
            }
            return out;
        }
    }

    /** A shard of {@code cache_entry}: its id, a key Citus places in it, its pages at the pass's start. */
    public record Shard(long id, String anchor, long pages) {

        /** The whole shard as one chunk of the sweep; an empty one when someone else sweeps it. */
        HeapSweep.Chunk chunk(boolean mine) {
            return new HeapSweep.Chunk(0, mine ? pages : 0, true);
        }
    }

    /**
     * What one range purged: soft-deleted rows past their grace period, expired rows past stale retention,
     * their ids; or, when it held more than a batch and was rolled back, how many it held ({@code overCap}).
     */
    public record Purged(long deleted, long expired, List<UUID> ids, List<Integer> hashes, long overCap) {

        /**
         * No range ran: the lane claimed or let go of a shard. Not null, since a repeating Multi skips null
         * items without asking its condition, and would repeat a step that completes at once forever.
         */
        static final Purged NONE = new Purged(0, 0, List.of(), List.of(), 0);
    }

    /**
     * Runs a lane's sweep on its coordinator {@code connection}; at its end, failed or not, the session holds
     * no shard lock.
     */
    public <T> Uni<T> inSweepSession(SqlConnection connection, Uni<T> sweep) {
        return sweep.eventually(() -> database.statement(connection, connection.query(SWEEP_END).execute()));
    }

    /** Takes {@code shard}'s lock, letting go of {@code previous}'s (null for none): false if someone else holds it. */
    public Uni<Boolean> claim(SqlConnection connection, Shard shard, Shard previous) {
        long held = previous == null ? -1 : previous.id();
        return database.statement(connection, connection.preparedQuery(CLAIM).execute(Tuple.of(shard.id(), held)))
                .map(rows -> rows.iterator().next().getBoolean("mine"));
    }

    /** Lets go of the lane's last shard. */
    public Uni<Void> release(SqlConnection connection, Shard shard) {
        return shard == null ? Uni.createFrom().voidItem()
                : database.statement(connection, connection.preparedQuery("SELECT pg_advisory_unlock(%d, $1::int)"
                        .formatted(LOCK_CLASS)).execute(Tuple.of(shard.id()))).replaceWithVoid();
    }

    /** Deletes the eligible rows of one range of the shard, its own transaction there, unless they are more than a batch. */
    public Uni<Purged> delete(SqlConnection connection, Shard shard, SweepCursor.TidRange range, int batchSize,
            OffsetDateTime clock) {
        Tuple args = Tuple.tuple(List.of(shard.anchor(), range.fromTid(), range.toTid(), (long) batchSize, clock));
        return database.statement(connection, connection.preparedQuery(RANGE).execute(args))
                .map(rows -> {
                    JsonObject purged = rows.iterator().next().getJsonObject("purged");
                    List<UUID> ids = new ArrayList<>();
                    for (Object id : purged.getJsonArray("ids")) {
                        ids.add(UUID.fromString((String) id));
                    }
                    List<Integer> hashes = new ArrayList<>();
                    for (Object hash : purged.getJsonArray("hashes")) {
                        hashes.add(((Number) hash).intValue());
                    }
                    return new Purged(purged.getLong("deleted"), purged.getLong("expired"), ids, hashes, 0);
                })
                .onFailure(e -> e instanceof PgException pg && HeapSweep.OVER_CAP.equals(pg.getSqlState()))
                .recoverWithItem(e -> new Purged(0, 0, List.of(), List.of(), Long.parseLong(((PgException) e).getDetail())));
    }

    /**
     * Removes the id map's rows of the purged entries that wait in {@code unmapping}, one call per map shard.
     * Not in the range's own transaction: from a worker, deleting 200 ids spread over every shard of the map
     * took about 100 ms a batch against 2 ms for the batch alone (docs/performance.md). A pass that dies
     * before this leaves the map rows of entries that are gone: harmless (a by-id call finds no row and
     * answers 404; an insert of the id takes the row over, EntryRepository), and small.
     */
    public Uni<Void> unmap(SqlConnection connection, Unmapping unmapping) {
        return Multi.createFrom().iterable(unmapping.drain())
                .onItem().transformToUniAndConcatenate(ids -> database.statement(connection,
                        connection.preparedQuery(UNMAP).execute(Tuple.of(ids.get(0), ids.toArray(UUID[]::new)))))
                .collect().last().replaceWithVoid();
    }

    /**
     * The functions and their distribution (run at start-up by {@code CitusSchema}; replicas write the same text
     * as long as they share the cleanup settings). The range's conditions are the lifecycle's, at the clock
     * passed in; the cap is V6's function, distributed to the workers so that it is the same rule there.
     */
    public static List<String> functionDdl(Lifecycle lifecycle) {
        String range = """
                WITH gone AS (
                    DELETE FROM %s WHERE ctid >= $1 AND ctid < $2 AND (@PURGEABLE OR @STALE)
                    RETURNING id, deleted_at IS NOT NULL AS soft)
                SELECT count(*), count(*) FILTER (WHERE soft), coalesce(array_agg(id), '{}'),
                       coalesce(array_agg(worker_hash(id)), '{}') FROM gone
                """
                .replace("@PURGEABLE", lifecycle.purgeable("$3")).replace("@STALE", lifecycle.stale("$3"));
        String body = """
                DECLARE
                    purged bigint;
                    soft bigint;
                    ids uuid[];
                    hashes int[];
                BEGIN
                    -- As on PostgreSQL: at worst a crash brings back rows that the next pass purges again.
                    PERFORM set_config('synchronous_commit', 'off', true);
                    EXECUTE format($q$@RANGE$q$,
                                   shard_name('cache_entry'::regclass, get_shard_id_for_distribution_column('cache_entry', anchor)))
                        INTO purged, soft, ids, hashes USING from_tid, to_tid, clock;
                    PERFORM cache_entry_purge_cap(purged, batch_size);
                    RETURN jsonb_build_object('deleted', soft, 'expired', purged - soft, 'ids', to_jsonb(ids),
                                              'hashes', to_jsonb(hashes));
                END
                """
                .replace("@RANGE", range);
        // Runs on the worker that holds the id map's shard of the anchor: deletes from that shard's own table.
        String unmap = """
                BEGIN
                    PERFORM set_config('synchronous_commit', 'off', true);
                    EXECUTE format('DELETE FROM %s WHERE id = ANY($1)',
                                   shard_name('cache_entry_id'::regclass, get_shard_id_for_distribution_column('cache_entry_id', anchor)))
                        USING ids;
                END
                """;
        return List.of(
                "SELECT create_distributed_function('cache_entry_purge_cap(bigint,bigint)')",
                "CREATE OR REPLACE FUNCTION " + UNMAP_FUNCTION
                        + "(anchor uuid, ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$"
                        + unmap + "$fn$",
                "SELECT create_distributed_function('" + UNMAP_FUNCTION + "(uuid,uuid[])', 'anchor',"
                        + " colocate_with => 'cache_entry_id')",
                "CREATE OR REPLACE FUNCTION " + FUNCTION
                        + "(anchor text, from_tid tid, to_tid tid, batch_size bigint, clock timestamptz)"
                        + " RETURNS jsonb LANGUAGE plpgsql AS $fn$" + body + "$fn$",
                "SELECT create_distributed_function('" + FUNCTION + "(text,tid,tid,bigint,timestamptz)', 'anchor',"
                        + " colocate_with => 'cache_entry')");
    }
}
