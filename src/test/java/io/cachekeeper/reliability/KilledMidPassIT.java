package io.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.Seeded;

/**
 * A replica killed with SIGKILL half way through a pass: the batches it committed stay purged, the
 * batch in flight rolls back, nothing else is lost, and after a restart the next pass finishes.
 */
class KilledMidPassIT {

    @Test
    void committedBatchesStayAndTheNextPassFinishes() throws Exception {
        Db.clear();
        Db.seed(100_000, "p-", Seeded.PURGEABLE);
        Db.seed(10_000, "l-", Seeded.LIVE);
        Db.seed(1_000, "d-", Seeded.DELETED);

        Map<String, String> env = Map.of("CACHEKEEPER_CLEANUP_ENABLED", "false", "CACHEKEEPER_CLEANUP_BATCH_SIZE", "20",
                "CACHEKEEPER_CLEANUP_STRATEGY", "heap");
        long remaining;
        try (AppProcess replica = AppProcess.start("killed", env)) {
            CompletableFuture.runAsync(() -> replica.api().post("/admin/cleanup"));
            Poll.until(Duration.ofSeconds(60), "the pass is half way", () -> Db.count("true") < 60_000);
            replica.kill();
            remaining = Db.count("true");
        }
        System.out.printf("killed with %d rows left%n", remaining);
        assertTrue(remaining > 11_000, "the pass finished before the kill");
        // Killed: purged rows stay purged, untouched rows are all still there.
        assertEquals(10_000, Db.count("cache_key LIKE 'l-%'"));
        assertEquals(1_000, Db.count("cache_key LIKE 'd-%'"));
        assertEquals(remaining - 11_000, Db.count("cache_key LIKE 'p-%'"));
        // No transaction of the dead replica lingers holding locks.
        Poll.until(Duration.ofSeconds(30), "the dead replica's backend is gone",
                () -> Db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND state LIKE 'idle in transaction%'") == 0);

        try (AppProcess restarted = AppProcess.start("restarted", env)) {
            restarted.api().post("/admin/cleanup").then().statusCode(200)
                    .body("completed", org.hamcrest.Matchers.equalTo(true))
                    .body("purged", org.hamcrest.Matchers.equalTo((int) (remaining - 11_000)));
        }
        assertEquals(11_000, Db.count("true"));
    }
}
