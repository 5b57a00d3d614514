package io.cachekeeper.cleanup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cachekeeper.database.Database;
import io.cachekeeper.pace.ApiCalls;
import io.cachekeeper.pace.ApiPace;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One cleanup pass. {@link PurgePlanner} picks the path: a heap sweep ({@link HeapSweep}) of both
 * reasons at once when many rows are eligible, else the index path ({@link PurgeBatch}) reason by
 * reason. Either way {@code workers} connections run side by side, each with {@link #LANES} batch loops
 * pipelined on it, until their work runs out (the sweep's cycle of chunks has been handed out;
 * an index batch comes back short), the time budget is spent or shutdown is requested. While API calls
 * keep arriving, each worker rests between its batches ({@link ApiPace}). Every batch
 * commits on its own, so a pass that dies half way loses nothing: the next one resumes. The pass
 * never fails: a database error ends it with {@code completed: false} and the error. With a size cap
 * set, the pass then evicts the oldest entries until the store is under it ({@link SizeCapEviction}).
 */
@ApplicationScoped
public class CleanupPass {

    private static final Logger LOG = Logger.getLogger(CleanupPass.class);

    /** Batches in flight on each worker's connection (see {@link #lanes}). */
    static final int LANES = 2;

    private final PurgePlanner planner;
    private final HeapSweep heap;
    private final PurgeBatch index;
    private final ShardSweep shards;
    private final SizeCapEviction eviction;
    private final UnheldBodies unheldBodies;
    private final CleanupMetrics metrics;
    private final Database database;
    private final ApiCalls api;
    private final Vertx vertx;

    public CleanupPass(PurgePlanner planner, HeapSweep heap, PurgeBatch index, ShardSweep shards, SizeCapEviction eviction,
            UnheldBodies unheldBodies, CleanupMetrics metrics, Database database, ApiCalls api,
            Vertx vertx) {
        this.unheldBodies = unheldBodies;
        this.database = database;
        this.api = api;
        this.vertx = vertx;
        this.planner = planner;
        this.heap = heap;
        this.index = index;
        this.shards = shards;
        this.eviction = eviction;
        this.metrics = metrics;
    }

    public Uni<PassReport> run(Trigger trigger, boolean dryRun, PassSettings settings, BooleanSupplier stopRequested) {
        PassProgress progress = new PassProgress(trigger, dryRun, settings, stopRequested);
        Uni<Void> work = dryRun ? count(progress)
                : planner.plan(settings.strategy()).chain(plan -> (switch (plan.path()) {
                    case HEAP -> sweep(progress);
                    case INDEX ->
                        walkIndex(PurgeReason.DELETED_PAST_GRACE, progress)
                                .chain(() -> walkIndex(PurgeReason.EXPIRED_PAST_RETENTION, progress));
                    case SHARD -> walkShards(progress);
                    case EVICT -> throw new IllegalStateException("a pass is planned on a purge path, not eviction");
                })
                        .chain(() -> eviction.run(progress))
                        .chain(() -> unheldBodies.run(progress))
                        .invoke(() -> metrics.backlog(progress.leftOf(plan.estimatedEligible()))));
        return work
                .onFailure().invoke(progress::failed)
                .onFailure().recoverWithNull()
                .map(ignored -> {
                    if (progress.failure() != null) {
                        // Once, with its stack trace; the report (and its log line) keeps the short form.
                        LOG.warn("cleanup pass stopped by a failure", progress.failure());
                    }
                    return progress.report();
                });
    }

    /** The heap path: each lane runs its part of one sweep ({@link HeapSweep.Lane}), its range deletes timed as batches. */
    private Uni<Void> sweep(PassProgress progress) {
        int size = progress.settings().batchSize();
        return heap.start().chain(sweep -> lanes(progress, heap::inSweepSession, (lane, connection, pace) -> {
            HeapSweep.Lane mine = heap.lane(sweep, lane, size);
            return Multi.createBy().repeating()
                    .uni(() -> mine.needsChunk()
                            ? mine.takeChunk(connection).replaceWith(HeapSweep.RangeResult.NONE)
                            : timed(pace, BatchPath.HEAP, () -> mine.deleteNext(connection), r -> r.deleted(),
                                    r -> r.expired(), progress))
                    .whilst(ignored -> !mine.finished() && progress.mayContinue());
        }));
    }

    /**
     * The index path for one reason: SKIP LOCKED keeps the lanes on disjoint rows; a lane's batch is
     * short only when fewer than a batch of unlocked eligible rows is left, and the rows other lanes
     * hold are theirs to delete.
     */
    private Uni<Void> walkIndex(PurgeReason reason, PassProgress progress) {
        int size = progress.settings().batchSize();
        boolean soft = reason == PurgeReason.DELETED_PAST_GRACE;
        return lanes(progress, (connection, work) -> work, (lane, connection, pace) -> Multi.createBy().repeating()
                .uni(() -> timed(pace, BatchPath.INDEX, () -> index.delete(connection, reason, size),
                        n -> soft ? n : 0, n -> soft ? 0 : n, progress))
                .whilst(deleted -> deleted == size && progress.mayContinue()));
    }

    /**
     * The path of a store in shards: the heap sweep shard by shard ({@link ShardSweep}). The lanes take shards from
     * one queue (each pass starts at a shard of its own, so that replicas that start together begin apart) and sweep
     * each range by range, on a connection to the server that holds it, while their front-server session holds its
     * lock; a shard another pass holds is skipped.
     */
    private Uni<Void> walkShards(PassProgress progress) {
        int size = progress.settings().batchSize();
        return shards.start().chain(work -> {
            List<ShardSweep.Shard> all = new ArrayList<>(work.shards());
            Collections.rotate(all, ThreadLocalRandom.current().nextInt(Math.max(1, all.size())));
            Queue<ShardSweep.Shard> queue = new ConcurrentLinkedQueue<>(all);
            return lanes(progress, shards::inSweepSession, (lane, connection, pace) -> {
                // The shard whose lock the lane holds (the one it sweeps, or swept last); null for none.
                AtomicReference<ShardSweep.Shard> held = new AtomicReference<>();
                AtomicBoolean done = new AtomicBoolean();
                return Multi.createBy().repeating()
                        .uni(() -> {
                            ShardSweep.Shard next = queue.poll();
                            if (next == null) {
                                done.set(true);
                                return shards.release(connection, held.getAndSet(null)).replaceWith(HeapSweep.RangeResult.NONE);
                            }
                            return shards.claim(connection, next, held.get()).chain(mine -> {
                                held.set(mine ? next : null);
                                return mine ? sweepShard(pace, next, size, work, progress)
                                        : Uni.createFrom().voidItem();
                            }).replaceWith(HeapSweep.RangeResult.NONE);
                        })
                        .whilst(ignored -> !done.get() && progress.mayContinue());
            }).eventually(() -> work.finish().onFailure().invoke(progress::failed).onFailure().recoverWithNull());
        });
    }

    /** One shard, range by range on a connection to its server, as {@link #sweep} sweeps a chunk of one table. */
    private Uni<Void> sweepShard(ApiPace pace, ShardSweep.Shard shard, int size, ShardSweep.Pass work,
            PassProgress progress) {
        return work.onWorker(shard, worker -> work.pages(worker, shard).chain(pages -> {
            if (pages == 0) {
                return Uni.createFrom().voidItem();
            }
            SweepCursor cursor = new SweepCursor(size, SweepCursor.slotsPerPage(work.blockSize()));
            cursor.enter(new HeapSweep.Chunk(0, pages, true));
            return Multi.createBy().repeating()
                    .uni(() -> {
                        SweepCursor.TidRange range = cursor.next();
                        return timed(pace, BatchPath.SHARD,
                                () -> work.delete(worker, shard, range.fromTid(), range.toTid(), size),
                                HeapSweep.RangeResult::deleted, HeapSweep.RangeResult::expired, progress)
                                .invoke(r -> cursor.learn(range, r.deleted() + r.expired(), r.overCap()));
                    })
                    .whilst(ignored -> !cursor.needsChunk() && progress.mayContinue())
                    .collect().last().replaceWithVoid();
        }));
    }

    private interface Lane {
        Multi<?> batches(int lane, SqlConnection connection, ApiPace pace);
    }

    /** What a worker's session runs around its lanes (session settings, say). */
    private interface Session {
        Uni<Void> around(SqlConnection connection, Uni<Void> work);
    }

    /**
     * Runs {@code workers} connections side by side, each with {@link #LANES} batch loops on it. The
     * lanes of one connection pipeline their statements: the server starts the next batch the moment one
     * commits, instead of idling for the round trip and the service's turn, while still running one
     * batch at a time per connection (so the API's share of the database stays as it was). Not
     * fail-fast: cancelling a lane would drop the count of a batch already sent; a failing lane stops the
     * pass (progress.failed) and the others end after their current batch.
     */
    private Uni<Void> lanes(PassProgress progress, Session session, Lane lane) {
        if (!progress.mayContinue()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> workers = new ArrayList<>();
        PassSettings settings = progress.settings();
        for (int w = 0; w < settings.workers(); w++) {
            int worker = w;
            workers.add(database.session(connection -> {
                ApiPace pace = new ApiPace(api, vertx,
                        ApiPace.workerShare(settings.shareUnderLoad(), settings.workers()));
                List<Uni<Void>> loops = new ArrayList<>();
                for (int l = 0; l < LANES; l++) {
                    loops.add(lane.batches(worker * LANES + l, connection, pace).collect().last()
                            .onFailure().invoke(progress::failed)
                            .replaceWithVoid());
                }
                return session.around(connection, Uni.join().all(loops).andCollectFailures().replaceWithVoid())
                        .eventually(() -> progress.rested(pace.restedNanos()));
            }).onFailure().invoke(progress::failed).onFailure().recoverWithNull());
        }
        return Uni.join().all(workers).andCollectFailures().replaceWithVoid();
    }

    /** One batch, after the worker's rest if it owes one; its time (rest excluded) goes to the pace and the metrics. */
    private <T> Uni<T> timed(ApiPace pace, BatchPath path, Supplier<Uni<T>> batch, ToLongFunction<T> deleted,
            ToLongFunction<T> expired, PassProgress progress) {
        return pace.rest().chain(() -> {
            long start = System.nanoTime();
            return batch.get().invoke(result -> {
                long end = System.nanoTime();
                pace.batchDone(start, end);
                record(path, deleted.applyAsLong(result), expired.applyAsLong(result), end - start, progress);
            });
        });
    }

    private void record(BatchPath path, long deleted, long expired, long nanos, PassProgress progress) {
        progress.batchDone(deleted, expired, nanos);
        metrics.batch(path, deleted, expired, nanos);
    }

    private Uni<Void> count(PassProgress progress) {
        return index.count(PurgeReason.DELETED_PAST_GRACE).invoke(n -> progress.count(n, 0))
                .chain(() -> index.count(PurgeReason.EXPIRED_PAST_RETENTION)).invoke(n -> progress.count(0, n))
                .replaceWithVoid();
    }
}
