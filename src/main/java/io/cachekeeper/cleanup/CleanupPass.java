package io.cachekeeper.cleanup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

import io.cachekeeper.config.CachekeeperConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One cleanup pass. {@link PurgePlanner} picks the path: a heap sweep ({@link HeapSweep}) of both
 * reasons at once when many rows are eligible, else the index path ({@link PurgeBatch}) reason by
 * reason. Either way {@code workers} loops run side by side, each batch after batch in sequence on a
 * connection of its own, until its work runs out (the sweep's cycle of chunks has been handed out;
 * an index batch comes back short), the time budget is spent or shutdown is requested. Every batch
 * commits on its own, so a pass that dies half way loses nothing: the next one resumes. The pass
 * never fails: a database error ends it with {@code completed: false} and the error. With a size cap
 * set, the pass then evicts the oldest entries until the store is under it ({@link SizeCapEviction}).
 */
@ApplicationScoped
public class CleanupPass {

    private static final Logger LOG = Logger.getLogger(CleanupPass.class);

    private final PurgePlanner planner;
    private final HeapSweep heap;
    private final PurgeBatch index;
    private final SizeCapEviction eviction;
    private final CleanupMetrics metrics;
    private final CachekeeperConfig config;

    public CleanupPass(PurgePlanner planner, HeapSweep heap, PurgeBatch index, SizeCapEviction eviction,
            CleanupMetrics metrics, CachekeeperConfig config) {
        this.planner = planner;
        this.heap = heap;
        this.index = index;
        this.eviction = eviction;
        this.metrics = metrics;
        this.config = config;
    }

    public Uni<PassReport> run(Trigger trigger, boolean dryRun, BooleanSupplier stopRequested) {
        PassProgress progress = new PassProgress(trigger, dryRun, config.cleanup().timeBudget(), stopRequested);
        Uni<Void> work = dryRun ? count(progress) : planner.choose().chain(path -> path == PurgePlanner.Path.HEAP
                ? sweep(progress)
                : walkIndex(PurgeReason.DELETED, progress).chain(() -> walkIndex(PurgeReason.EXPIRED, progress)))
                .chain(() -> eviction.run(progress))
                .chain(() -> measureBacklog());
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

    /** The heap path: the workers take chunks from one sweep; the first starts with the sweep's own chunk. */
    private Uni<Void> sweep(PassProgress progress) {
        int size = config.cleanup().batchSize();
        return heap.start().chain(sweep -> workers(progress, worker -> {
            AtomicReference<HeapSweep.Batch> last = new AtomicReference<>(worker == 0 ? heap.firstChunk(sweep) : null);
            return Multi.createBy().repeating()
                    .uni(() -> {
                        HeapSweep.Batch previous = last.get();
                        Uni<HeapSweep.Batch> next = previous != null && previous.full()
                                ? heap.resume(previous, size)
                                : heap.claim(sweep, size);
                        return timed("heap", next, b -> b.deleted(), b -> b.expired(), progress).invoke(last::set);
                    })
                    // A chunk is finished even past the cycle (see HeapSweep); then the worker stops.
                    .whilst(batch -> (batch.full() || batch.inCycle()) && progress.mayContinue());
        }));
    }

    /**
     * The index path for one reason: SKIP LOCKED keeps the workers on disjoint rows; a worker's batch is
     * short only when fewer than a batch of unlocked eligible rows is left, and the rows other workers
     * hold are theirs to delete.
     */
    private Uni<Void> walkIndex(PurgeReason reason, PassProgress progress) {
        int size = config.cleanup().batchSize();
        boolean soft = reason == PurgeReason.DELETED;
        return workers(progress, worker -> Multi.createBy().repeating()
                .uni(() -> timed("index", index.delete(reason, size),
                        n -> soft ? n : 0, n -> soft ? 0 : n, progress))
                .whilst(deleted -> deleted == size && progress.mayContinue()));
    }

    private interface Worker {
        Multi<?> batches(int worker);
    }

    /**
     * Runs {@code workers} batch loops side by side. Not fail-fast: cancelling a worker would drop the
     * count of a batch already sent; a failing worker stops the pass (progress.failed) and the others
     * end after their current batch.
     */
    private Uni<Void> workers(PassProgress progress, Worker worker) {
        if (!progress.mayContinue()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> loops = new ArrayList<>();
        for (int i = 0; i < config.cleanup().workers(); i++) {
            loops.add(worker.batches(i).collect().last()
                    .onFailure().invoke(progress::failed)
                    .replaceWithVoid());
        }
        return Uni.join().all(loops).andCollectFailures().replaceWithVoid();
    }

    private <T> Uni<T> timed(String path, Uni<T> batch, ToLongFunction<T> deleted,
            ToLongFunction<T> expired, PassProgress progress) {
        long start = System.nanoTime();
        return batch.invoke(result -> {
            long nanos = System.nanoTime() - start;
            long d = deleted.applyAsLong(result);
            long e = expired.applyAsLong(result);
            progress.batchDone(d, e, nanos);
            metrics.batch(path, d, e, nanos);
        });
    }

    /** What the pass left eligible (rows that became eligible meanwhile, or all it did not reach). */
    private Uni<Void> measureBacklog() {
        return index.count(PurgeReason.DELETED)
                .chain(deleted -> index.count(PurgeReason.EXPIRED).map(expired -> deleted + expired))
                .invoke(metrics::backlog)
                .replaceWithVoid();
    }

    private Uni<Void> count(PassProgress progress) {
        return index.count(PurgeReason.DELETED).invoke(n -> progress.count(n, 0))
                .chain(() -> index.count(PurgeReason.EXPIRED)).invoke(n -> progress.count(0, n))
                .replaceWithVoid();
    }
}
