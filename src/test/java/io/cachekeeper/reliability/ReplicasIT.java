package io.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Seeded;
import io.restassured.path.json.JsonPath;

/**
 * Three replicas (separate processes, one database) run passes at the same moment over 120,000
 * eligible rows: every eligible row is purged exactly once in total, no live row is touched, and no
 * replica ever waits on another's row locks (sampled from pg_stat_activity and pg_locks throughout).
 */
class ReplicasIT {

    @Test
    void concurrentPassesShareTheWorkWithoutWaitingOnEachOther() throws Exception {
        Db.clear();
        Db.seed(90_000, "p-", Seeded.PURGEABLE);
        Db.seed(30_000, "s-", Seeded.STALE);
        Db.seed(25_000, "l-", Seeded.LIVE);
        Db.seed(5_000, "d-", Seeded.DELETED);
        Db.exec("VACUUM ANALYZE cache_entry");

        List<AppProcess> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                replicas.add(AppProcess.start("replica-" + i, Map.of("CACHEKEEPER_CLEANUP_ENABLED", "false",
                        "CACHEKEEPER_CLEANUP_STRATEGY", "heap")));
            }
            AtomicBoolean sampling = new AtomicBoolean(true);
            AtomicInteger maxLockWaiters = new AtomicInteger();
            AtomicInteger samples = new AtomicInteger();
            CompletableFuture<Void> sampler = CompletableFuture
                    .runAsync(() -> sampleLockWaits(sampling, maxLockWaiters, samples));

            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<JsonPath>> passes = new ArrayList<>();
            for (AppProcess replica : replicas) {
                passes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return replica.api().post("/admin/cleanup").then().statusCode(200).extract().jsonPath();
                }));
            }
            go.countDown();
            long purged = 0;
            for (CompletableFuture<JsonPath> pass : passes) {
                JsonPath report = pass.join();
                System.out.printf("replica report: purged=%d (deleted=%d, expired=%d) batches=%d durationMs=%d%n",
                        report.getLong("purged"), report.getLong("purgedDeleted"), report.getLong("purgedExpired"),
                        report.getInt("batches"), report.getLong("durationMs"));
                assertTrue(report.getBoolean("completed"), report.prettify());
                purged += report.getLong("purged");
            }
            sampling.set(false);
            sampler.join();
            System.out.printf("lock waits: max %d waiting backends over %d samples%n", maxLockWaiters.get(), samples.get());

            assertEquals(120_000, purged, "the reports add up to the eligible rows: each purged exactly once");
            assertEquals(0, Db.count("cache_key LIKE 'p-%' OR cache_key LIKE 's-%'"));
            assertEquals(25_000, Db.count("cache_key LIKE 'l-%' AND deleted_at IS NULL AND expires_at IS NULL"));
            assertEquals(5_000, Db.count("cache_key LIKE 'd-%'"));
            assertEquals(30_000, Db.count("true"));
            assertTrue(samples.get() > 10, "too few lock samples to say anything");
            assertEquals(0, maxLockWaiters.get(), "a replica waited on another's row lock");
        } finally {
            for (AppProcess replica : replicas) {
                replica.close();
            }
        }
    }

    /** Counts backends of this database waiting for a lock, as often as it can, until told to stop. */
    private static void sampleLockWaits(AtomicBoolean running, AtomicInteger max, AtomicInteger samples) {
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            while (running.get()) {
                try (ResultSet rs = s.executeQuery("SELECT"
                        + " (SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()),"
                        + " (SELECT count(*) FROM pg_locks WHERE NOT granted)")) {
                    rs.next();
                    max.accumulateAndGet(Math.max(rs.getInt(1), rs.getInt(2)), Math::max);
                    samples.incrementAndGet();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
