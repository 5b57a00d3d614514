package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The pass's pacing ({@code cachekeeper.cleanup.share-under-load}, 0.1 by default): while API calls
 * keep arriving the pass rests between batches, and it still purges every eligible row; with no call
 * it never rests. How much it helps the API's latency is a benchmark figure (docs/performance.md).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PassGivesWayToTheApiTest {

    private static final int ROWS = 20_000;

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void whileApiCallsArriveThePassRestsBetweenBatchesAndStillPurgesEverything() throws InterruptedException {
        Db.seed(ROWS, "purgeable-", Seeded.PURGEABLE);
        Entries.create("looked-up");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger served = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                while (!stop.get()) {
                    given().queryParam("key", "looked-up").get("/entries").then().statusCode(200);
                    served.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        try {
            while (served.get() < 20 && failure.get() == null) {
                Thread.sleep(10); // calls are flowing before the pass starts
            }
            int before = served.get();
            JsonPath report = Entries.cleanup().then().statusCode(200)
                    .body("completed", equalTo(true))
                    .body("purgedDeleted", equalTo(ROWS))
                    .extract().jsonPath();
            assertTrue(served.get() > before, "calls were served during the pass");
            assertTrue(report.getLong("restedMs") > 0, "rested " + report.getLong("restedMs") + " ms");
            // restedMs adds up the workers' rests (2 by default), each within the pass
            assertTrue(2 * report.getLong("durationMs") >= report.getLong("restedMs"), "rests within the pass");
        } finally {
            stop.set(true);
            caller.join();
        }
        assertNull(failure.get(), () -> "a call failed: " + failure.get());
        assertEquals(1, Db.count("true"), "only the live entry is left");
    }

    @Test
    void withNoApiCallThePassNeverRests() {
        Db.seed(ROWS, "purgeable-", Seeded.PURGEABLE);
        Entries.cleanup().then().statusCode(200)
                .body("completed", equalTo(true))
                .body("purgedDeleted", equalTo(ROWS))
                .body("restedMs", equalTo(0));
        assertEquals(0, Db.count("true"));
    }
}
