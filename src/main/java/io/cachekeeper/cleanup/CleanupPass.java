package io.cachekeeper.cleanup;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.cachekeeper.config.CachekeeperConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One cleanup pass: for each {@link PurgeReason}, {@code workers} loops run side by side, each batch
 * after batch ({@link PurgeBatch}) in sequence on a connection of its own, until its batch comes back
 * short, the time budget is spent or shutdown is requested. SKIP LOCKED keeps the workers on
 * disjoint rows; a worker's batch is short only when fewer than a batch of unlocked eligible rows is
 * left, and the rows other workers hold are theirs to delete. Every batch commits on its own, so a
 * pass that dies half way loses nothing: the next one resumes. The pass never fails: a database
 * error ends it with {@code completed: false} and the error.
 */
@ApplicationScoped
public class CleanupPass {

    private final PurgeBatch batch;
    private final CleanupMetrics metrics;
    private final CachekeeperConfig config;

    public CleanupPass(PurgeBatch batch, CleanupMetrics metrics, CachekeeperConfig config) {
        this.batch = batch;
        this.metrics = metrics;
        this.config = config;
    }

    public Uni<PassReport> run(Trigger trigger, boolean dryRun, BooleanSupplier stopRequested) {
        PassProgress progress = new PassProgress(trigger, dryRun, config.cleanup().timeBudget(), stopRequested);
        Uni<Void> work = dryRun ? count(progress) : purge(PurgeReason.DELETED, progress)
                .chain(() -> purge(PurgeReason.EXPIRED, progress));
        return work
                .onFailure().invoke(progress::failed)
                .onFailure().recoverWithNull()
                .map(ignored -> progress.report());
    }

    private Uni<Void> purge(PurgeReason reason, PassProgress progress) {
        int size = config.cleanup().batchSize();
        if (!progress.mayContinue()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> workers = new ArrayList<>();
        for (int i = 0; i < config.cleanup().workers(); i++) {
            workers.add(Multi.createBy().repeating()
                    .uni(() -> timedBatch(reason, size, progress))
                    .whilst(deleted -> deleted == size && progress.mayContinue())
                    .collect().last()
                    .onFailure().invoke(progress::failed) // the other workers stop after their batch
                    .replaceWithVoid());
        }
        // Not fail-fast: cancelling a worker would drop the count of a batch already sent; a failing
        // worker stops the pass (progress.failed) and the others end after their current batch.
        return Uni.join().all(workers).andCollectFailures().replaceWithVoid();
    }

    private Uni<Integer> timedBatch(PurgeReason reason, int size, PassProgress progress) {
        long start = System.nanoTime();
        return batch.delete(reason, size).invoke(deleted -> {
            long nanos = System.nanoTime() - start;
            progress.batchDone(reason, deleted, nanos);
            metrics.batch(reason, deleted, nanos);
        });
    }

    private Uni<Void> count(PassProgress progress) {
        return batch.count(PurgeReason.DELETED).invoke(n -> progress.count(PurgeReason.DELETED, n))
                .chain(() -> batch.count(PurgeReason.EXPIRED)).invoke(n -> progress.count(PurgeReason.EXPIRED, n))
                .replaceWithVoid();
    }
}
