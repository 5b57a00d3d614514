package io.cachekeeper.cleanup;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Contract (docs/contract.md): a pass deletes batch after batch of at most batch-size eligible rows, and only
 * those; on each path ({@link BatchCleanupTest}: the heap sweep, which {@code auto} picks for a small table;
 * {@link BatchCleanupIndexPathTest}: the index path).
 */
abstract class BatchCleanupContract {

    /** The seed's contract: 200 rows per batch. */
    static final int BATCH_SIZE = 200;

    /** A manual pass on the path under test. */
    abstract Response cleanup();

    /** The path's tag on the batch metrics. */
    abstract String path();

    @BeforeEach
    void clean() {
        Db.clear();
    }

    /** 300 eligible rows of one reason cannot fit one batch of 200: at least two, none above 200 rows. */
    @Test
    void aReasonWithMoreRowsThanABatchTakesSeveralBatchesOfAtMostBatchSize() {
        Db.seed(300, "purgeable-", Seeded.PURGEABLE);
        Db.seed(50, "live-", Seeded.LIVE);
        double before = Metrics.value("cachekeeper_cleanup_batch_rows_count");
        int batches = cleanup().then().statusCode(200)
                .body("purgedDeleted", equalTo(300))
                .body("purgedExpired", equalTo(0))
                .body("completed", equalTo(true))
                .extract().path("batches");
        assertTrue(batches >= 2, "300 rows in " + batches + " batch(es)");
        assertEquals(before + batches, Metrics.value("cachekeeper_cleanup_batch_rows_count"), "every batch measured");
        // The largest batch of the pass: never above the cap (the sweep sizes its ranges under it).
        double largest = Metrics.series("cachekeeper_cleanup_batch_rows_max{path=\"" + path() + "\"}");
        assertTrue(largest > 0 && largest <= BATCH_SIZE, "largest batch " + largest);
        assertEquals(50, Db.count("true"));
    }

    @Test
    void onePassPurgesExactlyTheEligibleRowsInSeveralBatches() {
        Db.seed(150, "purgeable-", Seeded.PURGEABLE);
        Db.seed(150, "stale-", Seeded.STALE);
        Db.seed(120, "live-", Seeded.LIVE);
        Db.seed(40, "deleted-", Seeded.DELETED);
        Db.seed(40, "expired-", Seeded.LIVE);
        // 40 entries that expire in the future are live too
        Db.exec("UPDATE cache_entry SET expires_at = now() + interval '1 hour' WHERE cache_key LIKE 'expired-%'");
        assertEquals(500, Db.count("true"));

        JsonPath report = cleanup().then().statusCode(200)
                .body("trigger", equalTo("manual"))
                .body("dryRun", equalTo(false))
                .body("completed", equalTo(true))
                .body("purgedDeleted", equalTo(150))
                .body("purgedExpired", equalTo(150))
                .body("purged", equalTo(300))
                .body("batches", greaterThanOrEqualTo(2))
                .extract().jsonPath();
        assertTrue(report.getLong("durationMs") >= report.getLong("slowestBatchMs"));

        assertEquals(200, Db.count("true"));
        assertEquals(0, Db.count("cache_key LIKE 'purgeable-%' OR cache_key LIKE 'stale-%'"));
        assertEquals(200, Db.count("cache_key LIKE 'live-%' OR cache_key LIKE 'deleted-%' OR cache_key LIKE 'expired-%'"));

        // Nothing is left to purge.
        cleanup().then().statusCode(200).body("purged", equalTo(0)).body("completed", equalTo(true));
    }

    @Test
    @DisabledOnIntegrationTest("measures the heap of the JVM that runs the service: this one only under @QuarkusTest")
    void passMemoryDoesNotGrowWithTheRowsItPurges() {
        // 20,000 eligible rows carrying 16 KiB bodies: 320 MiB of bodies the pass must never load.
        Db.exec("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status, response_body,"
                + " created_at, deleted_at)"
                + " SELECT gen_random_uuid(), 'big-' || i, 'GET', 'https://example.com/' || i, 200,"
                + " convert_to(repeat(md5(i::text), 512), 'UTF8'), now() - interval '3 days', now() - interval '2 days'"
                + " FROM generate_series(1, 20000) AS i");
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);

        cleanup().then().statusCode(200).body("purged", equalTo(20000)).body("completed", equalTo(true));

        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long growthMiB = (peak - before) >> 20;
        System.out.printf("pass over 20000 rows / 320 MiB of bodies: heap peak growth %d MiB%n", growthMiB);
        assertTrue(growthMiB < 64, "heap grew by " + growthMiB + " MiB during the pass");
        assertEquals(0, Db.count("true"));
    }
}
