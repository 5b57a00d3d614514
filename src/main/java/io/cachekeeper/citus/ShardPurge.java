package io.cachekeeper.citus;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.cachekeeper.cleanup.HeapSweep;
import io.cachekeeper.cleanup.ShardSweep;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.database.WorkerPools;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * The purge on Citus: the heap sweep ({@link HeapSweep}) run shard by shard on the workers. Through the
 * coordinator, Citus refuses a ctid condition on a distributed table, and a statement over the whole table
 * would lock rows on every shard at once. So each range of a shard goes to the worker that holds it
 * ({@link WorkerPools}: Citus 11+ lets clients query any node), as one plain {@code DELETE} of the eligible
 * rows of a TID range of the shard's own table, exactly as the heap sweep does on PostgreSQL: no row locks,
 * no search for the rows, so a row costs what it costs in one big DELETE. The range is sized by
 * cleanup/SweepCursor from the density seen so far, and {@code cache_entry_purge_cap} (V6, distributed to
 * the workers) rolls back a range that held more than a batch, which the lane retries smaller. Sent through
 * the coordinator as a distributed function instead, a range paid more for routing and PL/pgSQL than for its
 * rows (docs/performance.md, "Citus").
 *
 * <p>
 * A lane sweeps a shard only while its coordinator session holds the shard's advisory lock
 * ({@code pg_try_advisory_lock}, never waiting): replicas connect to the same coordinator, so two passes
 * never sweep one shard at once (their DELETEs would queue behind each other's rows); a shard someone
 * sweeps now is skipped, its holder sweeps it to the end. Rows are judged at the coordinator's clock, read
 * once at the start of the pass; the DELETE re-checks eligibility on the row version it deletes, so a
 * restore that commits first wins. The DELETE returns those of the ids it deleted that the id map holds (most
 * ids name their entry's route and have no map row: entry/Route) with their hashes; the pass removes their
 * map rows later, many ranges at once, grouped by map shard ({@link #unmap}).
 */
final class ShardPurge implements ShardSweep {

    /** The advisory lock keys of a shard are ({@link #LOCK_CLASS}, shard id), apart from the heap sweep's. */
    static final int LOCK_CLASS = 0x636b_7368; // "cksh"

    /** Purged ids a pass collects before it removes their id map rows ({@link #unmap}): at most ~1 MiB of ids. */
    static final int UNMAP_EVERY = 50_000;

    private final Database database;
    private final EntryShards entryShards;
    private final WorkerPools workers;
    private final NamedSql pages;
    private final NamedSql claim;
    private final NamedSql release;
    private final NamedSql sweepEnd;
    private final NamedSql mapShards;
    private final NamedSql clock;
    private final SqlCatalogue.Statement unmap;
    private final SqlCatalogue.Statement range;
    /** The range DELETE of each shard, by the shard's table (sql/distributed.sql, shard-range). */
    private final Map<String, NamedSql> ranges = new ConcurrentHashMap<>();
    /** The id map's DELETE of each of its shards, by the shard's table. */
    private final Map<String, NamedSql> unmaps = new ConcurrentHashMap<>();

    ShardPurge(Database database, SqlCatalogue catalogue, EntryShards entryShards, WorkerPools workers) {
        this.database = database;
        this.entryShards = entryShards;
        this.workers = workers;
        this.pages = catalogue.get("shard-pages");
        this.claim = catalogue.get("shard-claim");
        this.release = catalogue.get("shard-release");
        this.sweepEnd = catalogue.get("shard-sweep-end");
        this.mapShards = catalogue.get("id-map-shards");
        this.clock = catalogue.get("shard-purge-clock");
        this.unmap = catalogue.statement("id-map-shard-remove");
        this.range = catalogue.statement("shard-range");
    }

    @Override
    public boolean sharded() {
        return true;
    }

    /** Every shard, and the pass's clock. */
    @Override
    public Uni<Pass> start() {
        return entryShards.list().chain(shards -> database.execute(mapShards).chain(map -> {
            List<MapShard> mapShards = new ArrayList<>();
            for (Row row : map) {
                mapShards.add(new MapShard(row.getInteger("min"), row.getString("name"), row.getString("nodename"),
                        row.getInteger("nodeport")));
            }
            return database.execute(clock).map(read -> {
                Row r = read.iterator().next();
                return new Work(shards, r.getOffsetDateTime("now"), r.getInteger("block_size"), new Unmapping(mapShards));
            });
        }));
    }

    /**
     * One pass: the shards to sweep, the instant it judges rows at (the coordinator's clock), the servers' page size,
     * and the purged ids whose id map rows are still to go.
     */
    private final class Work implements Pass {

        private final List<Shard> shards;
        private final OffsetDateTime clock;
        private final int blockSize;
        private final Unmapping unmapping;

        Work(List<Shard> shards, OffsetDateTime clock, int blockSize, Unmapping unmapping) {
            this.shards = shards;
            this.clock = clock;
            this.blockSize = blockSize;
            this.unmapping = unmapping;
        }

        @Override
        public List<Shard> shards() {
            return shards;
        }

        @Override
        public int blockSize() {
            return blockSize;
        }

        @Override
        public <T> Uni<T> onWorker(Shard shard, Function<SqlConnection, Uni<T>> work) {
            return workers.of(shard.host(), shard.port()).withConnection(work);
        }

        @Override
        public Uni<Long> pages(SqlConnection worker, Shard shard) {
            return database.inSession(worker, pages, new Params().set("shard", shard.table()))
                    .map(rows -> rows.iterator().next().getLong("pages"));
        }

        /**
         * The range's DELETE; the ids it purged that the id map holds wait for their unmapping, which runs every
         * {@link #UNMAP_EVERY} ids (and at the end, {@link #finish}).
         */
        @Override
        public Uni<HeapSweep.RangeResult> delete(SqlConnection worker, Shard shard, String fromTid, String toTid,
                int batchSize) {
            NamedSql sql = ranges.computeIfAbsent(shard.table(), table -> range.withIdentifiers(Map.of("entry_shard", table)));
            Params args = new Params().set("from_tid", fromTid).set("to_tid", toTid).set("clock", clock)
                    .set("batch_size", (long) batchSize).set("body_shard", shard.bodyTable());
            return database.inSession(worker, sql, args)
                    .map(rows -> {
                        Row r = rows.iterator().next();
                        long soft = r.getLong("purged_deleted");
                        unmapping.add(List.of(r.getArrayOfUUIDs("ids")), List.of(r.getArrayOfIntegers("hashes")));
                        return new HeapSweep.RangeResult(soft, r.getLong("purged") - soft, 0);
                    })
                    .onFailure(e -> e instanceof PgException pg && HeapSweep.OVER_CAP.equals(pg.getSqlState()))
                    .recoverWithItem(e -> new HeapSweep.RangeResult(0, 0, Long.parseLong(((PgException) e).getDetail())))
                    .call(() -> unmapping.over(UNMAP_EVERY) ? unmap(unmapping) : Uni.createFrom().voidItem());
        }

        @Override
        public Uni<Void> finish() {
            return unmap(unmapping);
        }
    }

    /** A shard of the id map: the least hash it holds, its table, its worker. */
    record MapShard(int min, String table, String host, int port) {
    }

    /** The ids of one map shard to delete there. */
    record MapGroup(MapShard shard, List<UUID> ids) {
    }

    /**
     * The purged ids whose id map rows are still to go, grouped by the map's shard that holds them (by their
     * hash, as Citus places them: a shard holds the hashes from its minimum to the next shard's).
     */
    static final class Unmapping {

        private final List<MapShard> shards;
        private final int[] mins;
        private final List<Queue<UUID>> groups = new ArrayList<>();
        private final AtomicInteger pending = new AtomicInteger();

        Unmapping(List<MapShard> shards) {
            this.shards = shards;
            this.mins = shards.stream().mapToInt(MapShard::min).toArray();
            for (int i = 0; i < mins.length; i++) {
                groups.add(new ConcurrentLinkedQueue<>());
            }
        }

        void add(List<UUID> ids, List<Integer> hashes) {
            for (int i = 0; i < ids.size(); i++) {
                int at = Arrays.binarySearch(mins, hashes.get(i));
                groups.get(at >= 0 ? at : -at - 2).add(ids.get(i));
            }
            pending.addAndGet(ids.size());
        }

        /** Whether {@code most} ids or more wait. */
        boolean over(int most) {
            return pending.get() >= most;
        }

        /** Takes every waiting id, by map shard (empty groups left out). */
        List<MapGroup> drain() {
            List<MapGroup> out = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                List<UUID> ids = new ArrayList<>();
                for (UUID id; (id = groups.get(i).poll()) != null;) {
                    ids.add(id);
                }
                pending.addAndGet(-ids.size());
                if (!ids.isEmpty()) {
                    out.add(new MapGroup(shards.get(i), ids));
                }
            }
            return out;
        }
    }

    /**
     * Runs a lane's sweep on its coordinator {@code connection}; at its end, failed or not, the session holds
     * no shard lock.
     */
    @Override
    public <T> Uni<T> inSweepSession(SqlConnection connection, Uni<T> sweep) {
        return sweep.eventually(() -> database.inSession(connection, sweepEnd));
    }

    /** Takes {@code shard}'s lock, letting go of {@code previous}'s (null for none): false if someone else holds it. */
    @Override
    public Uni<Boolean> claim(SqlConnection connection, Shard shard, Shard previous) {
        long held = previous == null ? -1 : previous.id();
        return database.inSession(connection, claim,
                new Params().set("lock_class", LOCK_CLASS).set("shard_id", shard.id()).set("held", held))
                .map(rows -> rows.iterator().next().getBoolean("mine"));
    }

    /** Lets go of the lane's last shard. */
    @Override
    public Uni<Void> release(SqlConnection connection, Shard shard) {
        return shard == null ? Uni.createFrom().voidItem()
                : database
                        .inSession(connection, release, new Params().set("lock_class", LOCK_CLASS).set("shard_id", shard.id()))
                        .replaceWithVoid();
    }

    private NamedSql unmapOf(String table) {
        return unmaps.computeIfAbsent(table, t -> unmap.withIdentifiers(Map.of("id_map_shard", t)));
    }

    /**
     * Removes the id map's rows of the purged entries that wait in {@code unmapping}, one statement per map
     * shard, on the worker that holds it. Not in the range's own transaction: the map's rows of a range's
     * entries are spread over every shard of the map, on every worker (from the worker of the range, deleting
     * them made a batch about 50 times slower, docs/performance.md). A pass that dies before this leaves the
     * map rows of entries that are gone: harmless (a by-id call finds no row and answers 404; an insert of
     * the id takes the row over, EntryRepository), and small.
     */
    private Uni<Void> unmap(Unmapping unmapping) {
        return Multi.createFrom().iterable(unmapping.drain())
                .onItem().transformToUniAndConcatenate(group -> workers.of(group.shard().host(), group.shard().port())
                        .withConnection(c -> database.inSession(c, unmapOf(group.shard().table()),
                                new Params().set("ids", group.ids().toArray(UUID[]::new)))))
                .collect().last().replaceWithVoid();
    }
}
