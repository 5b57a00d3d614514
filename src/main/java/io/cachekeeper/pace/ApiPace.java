package io.cachekeeper.pace;

import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * How a long run of batches (a worker of a cleanup pass, a wide invalidation) gives way to the API. While API calls keep
 * arriving, the worker rests after
 * its batches so that they take at most {@code share} of its time; with no call since the last batch
 * it runs flat out. Resting matters on a database that the pass would otherwise keep busy: every batch
 * takes CPU and writes WAL that the API's commits then wait to flush behind (docs/performance.md has
 * the figures). A rest is a Vert.x timer on the connection's context: nothing blocks, and no row lock
 * or transaction is held across it (each batch has committed before).
 *
 * <p>
 * Not thread-safe, and need not be: the lanes of one worker share one connection, whose callbacks all
 * run on that connection's event loop.
 */
public final class ApiPace {

    private static final long MIN_REST_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ApiCalls api;
    private final Vertx vertx;
    /** Nanoseconds of rest per nanosecond of batch: (1 - share) / share. */
    private final double restPerBusy;
    private long callsSeen;
    private long lastDone;
    private long resumeAt;
    private long restedNanos;
    private long restedUntil = Long.MIN_VALUE;

    public ApiPace(ApiCalls api, Vertx vertx, double share) {
        this.api = api;
        this.vertx = vertx;
        this.restPerBusy = (1 - share) / share;
        this.callsSeen = api.arrived();
    }

    /** The share is the pass's, so its workers split it; a share of 1 (no pacing) stays 1. */
    public static double workerShare(double passShare, int workers) {
        return passShare >= 1 ? 1 : passShare / workers;
    }

    /** Completes when the worker may send its next batch (at once unless it owes a rest). */
    public Uni<Void> rest() {
        long now = System.nanoTime();
        long wait = resumeAt - now;
        if (wait < MIN_REST_NANOS) {
            return Uni.createFrom().voidItem();
        }
        // The lanes wait for the same moment: a stretch already counted is not counted again.
        restedNanos += Math.max(0, resumeAt - Math.max(now, restedUntil));
        restedUntil = Math.max(restedUntil, resumeAt);
        return Uni.createFrom().emitter(done -> vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(wait), id -> done.complete(null)));
    }

    /**
     * A batch sent at {@code sentAt} finished at {@code doneAt}. The database was busy with it from when
     * it was sent or the worker's previous batch finished, whichever came later: the lanes' batches
     * queue on one connection and run one at a time.
     */
    public void batchDone(long sentAt, long doneAt) {
        long busy = doneAt - Math.max(sentAt, lastDone);
        lastDone = doneAt;
        long calls = api.arrived();
        boolean apiActive = calls != callsSeen;
        callsSeen = calls;
        if (!apiActive || restPerBusy == 0) {
            resumeAt = 0;
            return;
        }
        resumeAt = Math.max(resumeAt, doneAt) + (long) (busy * restPerBusy);
    }

    public long restedNanos() {
        return restedNanos;
    }
}
