package io.cachekeeper.cleanup;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The running tally of one pass, and its stop conditions (time budget, shutdown). The pass's
 * workers may report from different threads, hence the synchronisation (a few calls per batch).
 */
final class PassProgress {

    private final Trigger trigger;
    private final PassSettings settings;
    private final boolean dryRun;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final BooleanSupplier stopRequested;

    private int batches;
    private long slowestBatchNanos;
    private long purgedDeleted;
    private long purgedExpired;
    private long purgedEvicted;
    private long bodiesRemoved;
    private long restedNanos;
    private String stopReason;
    private Throwable failure;

    PassProgress(Trigger trigger, boolean dryRun, PassSettings settings, BooleanSupplier stopRequested) {
        this.trigger = trigger;
        this.dryRun = dryRun;
        this.settings = settings;
        this.deadlineNanos = startNanos + settings.timeBudget().toNanos();
        this.stopRequested = stopRequested;
    }

    /** What the pass runs with. */
    PassSettings settings() {
        return settings;
    }

    synchronized void count(long deleted, long expired) {
        purgedDeleted += deleted;
        purgedExpired += expired;
    }

    synchronized void evicted(long rows, long nanos) {
        batches++;
        slowestBatchNanos = Math.max(slowestBatchNanos, nanos);
        purgedEvicted += rows;
    }

    synchronized void batchDone(long deleted, long expired, long nanos) {
        batches++;
        slowestBatchNanos = Math.max(slowestBatchNanos, nanos);
        count(deleted, expired);
    }

    /** Time a worker rested to give way to the API ({@link ApiPace}); the workers' rests add up. */
    /** Streamed bodies no entry held, removed ({@link UnheldBodies}). */
    synchronized void bodiesRemoved(long bodies) {
        bodiesRemoved += bodies;
    }

    synchronized void rested(long nanos) {
        restedNanos += nanos;
    }

    /**
     * The eligible rows this pass leaves behind, for the backlog gauge: none when it completed (it stops
     * only when its path found no more; rows that became eligible meanwhile wait for the next pass), else
     * what the statistics expected at its start less what it purged.
     */
    synchronized long leftOf(long estimatedEligible) {
        return stopReason == null ? 0 : Math.max(0, estimatedEligible - purgedDeleted - purgedExpired);
    }

    /** Whether another batch may start; records why not. */
    synchronized boolean mayContinue() {
        if (stopReason != null) {
            return false;
        }
        if (stopRequested.getAsBoolean()) {
            stopReason = "stopped: the service is shutting down";
        } else if (System.nanoTime() - deadlineNanos >= 0) {
            stopReason = "stopped: time budget (cachekeeper.cleanup.time-budget) spent";
        }
        return stopReason == null;
    }

    /** Records a failure; the first reason to stop is the one reported. */
    synchronized void failed(Throwable e) {
        if (stopReason == null) {
            stopReason = e.getClass().getSimpleName() + ": " + e.getMessage();
            failure = e;
        }
    }

    /** The failure that stopped the pass, for its one log line's stack trace; null if none. */
    synchronized Throwable failure() {
        return failure;
    }

    synchronized PassReport report() {
        long purged = purgedDeleted + purgedExpired + purgedEvicted;
        return new PassReport(trigger, dryRun, startedAt, Instant.now(),
                (System.nanoTime() - startNanos) / 1_000_000, batches, slowestBatchNanos / 1_000_000,
                restedNanos / 1_000_000, purgedDeleted, purgedExpired, purgedEvicted, purged, bodiesRemoved, stopReason == null,
                stopReason);
    }
}
