package io.cachekeeper.pace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** The pace's arithmetic and its timer, without a database: a real Vert.x instance, made-up batch times. */
class ApiPaceTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Vertx vertx = Vertx.vertx();
    private final ApiCalls api = new ApiCalls();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void withNoApiCallSinceTheLastBatchItDoesNotRest() {
        ApiPace pace = new ApiPace(api, vertx, 0.25);
        long now = System.nanoTime();
        pace.batchDone(now - 20 * MS, now);
        pace.rest().await().atMost(Duration.ofSeconds(1));
        assertEquals(0, pace.restedNanos());
    }

    @Test
    void withApiCallsArrivingItRestsSoThatBatchesTakeTheirShare() {
        ApiPace pace = new ApiPace(api, vertx, 0.25);
        api.arrive();
        long now = System.nanoTime();
        pace.batchDone(now - 20 * MS, now); // 20 ms busy at a quarter share: 60 ms of rest
        long start = System.nanoTime();
        pace.rest().await().atMost(Duration.ofSeconds(1));
        long waited = System.nanoTime() - start;
        assertTrue(pace.restedNanos() > 55 * MS && pace.restedNanos() <= 60 * MS, "rested " + pace.restedNanos());
        assertTrue(waited >= 54 * MS, "the timer fired after " + waited / MS + " ms");
    }

    @Test
    void pipelinedBatchesCountOnlyTheTimeTheyRanAfterThePreviousOne() {
        ApiPace pace = new ApiPace(api, vertx, 0.5);
        api.arrive();
        long now = System.nanoTime() - 100 * MS; // in the past, so that no rest is owed when asked
        pace.batchDone(now, now + 10 * MS); // lane 1: 10 ms
        api.arrive();
        pace.batchDone(now, now + 14 * MS); // lane 2, sent together: it ran 4 ms after lane 1's batch
        // resumeAt = (now + 10 + 10) -> max with now + 14 -> now + 20 + 4 = now + 24 ms, long past
        pace.rest().await().atMost(Duration.ofSeconds(1));
        assertEquals(0, pace.restedNanos());
        api.arrive();
        long later = System.nanoTime();
        pace.batchDone(later - 8 * MS, later); // a share of one half: as long a rest as the batch
        pace.rest().await().atMost(Duration.ofSeconds(1));
        assertTrue(pace.restedNanos() > 6 * MS && pace.restedNanos() <= 8 * MS, "rested " + pace.restedNanos());
    }

    @Test
    void lanesWaitingForTheSameRestCountItOnce() {
        ApiPace pace = new ApiPace(api, vertx, 0.5);
        api.arrive();
        long now = System.nanoTime();
        pace.batchDone(now - 20 * MS, now);
        var first = pace.rest().subscribeAsCompletionStage();
        var second = pace.rest().subscribeAsCompletionStage();
        first.join();
        second.join();
        assertTrue(pace.restedNanos() > 15 * MS && pace.restedNanos() <= 20 * MS, "rested " + pace.restedNanos());
    }

    @Test
    void theRestOwedLapsesOnceTheApiFallsQuiet() {
        ApiPace pace = new ApiPace(api, vertx, 0.25);
        api.arrive();
        long now = System.nanoTime();
        pace.batchDone(now - 20 * MS, now);
        pace.batchDone(now, now + MS); // no call in between: run flat out again
        pace.rest().await().atMost(Duration.ofSeconds(1));
        assertEquals(0, pace.restedNanos());
    }

    @Test
    void thePassSharesItsShareBetweenItsWorkersButNoPacingStaysNoPacing() {
        assertEquals(0.05, ApiPace.workerShare(0.1, 2), 1e-12);
        assertEquals(0.1, ApiPace.workerShare(0.1, 1), 1e-12);
        assertEquals(1, ApiPace.workerShare(1, 4), 1e-12);
    }

    @Test
    void aShareOfOneNeverRests() {
        ApiPace pace = new ApiPace(api, vertx, 1);
        api.arrive();
        long now = System.nanoTime();
        pace.batchDone(now - 20 * MS, now);
        pace.rest().await().atMost(Duration.ofSeconds(1));
        assertEquals(0, pace.restedNanos());
    }
}
