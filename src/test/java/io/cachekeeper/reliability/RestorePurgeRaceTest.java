package io.cachekeeper.reliability;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.cachekeeper.cleanup.PassReport;
import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Passes;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.cachekeeper.support.Times;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Restores racing purges: entries whose grace period ends while passes run back to back and
 * clients restore them. A restore that commits first wins (200, the entry survives, live); one that
 * loses gets 404 (purged) or 410 (grace over); no entry is both restored and purged.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RestorePurgeRaceTest {

    @Test
    void aRestoreThatCommitsFirstWinsAndNothingIsBothRestoredAndPurged() throws Exception {
        int n = 1000;
        Db.clear();
        Db.seed(n, "race-", Seeded.LIVE);
        // All soft-deleted, their grace period ending 4 s from now: while the restores are under way.
        Duration grace = ConfigProvider.getConfig().getValue("cachekeeper.cleanup.grace-period", Duration.class);
        Db.exec("UPDATE cache_entry SET deleted_at = now() - " + Times.interval(grace.minusSeconds(4)));
        List<String> ids = new ArrayList<>();
        try (var c = Db.connect();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT id FROM cache_entry ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }

        AtomicBoolean restoring = new AtomicBoolean(true);
        Map<String, Integer> outcome = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        Future<Long> purger = pool.submit(() -> {
            long purged = 0;
            while (restoring.get() || Db.count("deleted_at IS NOT NULL") > 0) {
                // Share 1: the restores are API calls, and a pass that gave way to them rested past the test
                // client's 30 s read timeout; this test is about the race, not the pacing (ApiPaceTest).
                purged += Passes.tryRun(s -> s.withBatchSize(20).withStrategy(Strategy.HEAP).withShareUnderLoad(1))
                        .map(PassReport::purged).orElse(0L);
            }
            return purged;
        });
        List<Future<?>> restorers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int worker = w;
            restorers.add(pool.submit(() -> {
                for (int i = worker; i < ids.size(); i += 4) {
                    String id = ids.get(i);
                    outcome.put(id, given().post("/entries/" + id + "/restore").statusCode());
                }
            }));
        }
        for (Future<?> r : restorers) {
            r.get(120, TimeUnit.SECONDS);
        }
        restoring.set(false);
        purger.get(120, TimeUnit.SECONDS);
        pool.shutdown();

        long won = outcome.values().stream().filter(s -> s == 200).count();
        long purgedFirst = outcome.values().stream().filter(s -> s == 404).count();
        long tooLate = outcome.values().stream().filter(s -> s == 410).count();
        System.out.printf("restore race: %d restored, %d purged first (404), %d too late (410)%n",
                won, purgedFirst, tooLate);
        assertEquals(n, won + purgedFirst + tooLate, "unexpected statuses: " + outcome.values());

        for (Map.Entry<String, Integer> e : outcome.entrySet()) {
            long rows = Db.count("id = '" + e.getKey() + "'");
            if (e.getValue() == 200) {
                assertEquals(1, Db.count("id = '" + e.getKey() + "' AND deleted_at IS NULL"),
                        "restored entry " + e.getKey() + " was purged or deleted again");
            } else {
                assertEquals(0, rows, "entry " + e.getKey() + " lost its restore (" + e.getValue()
                        + ") and must be purged by now");
            }
        }
        assertEquals(won, Db.count("true"));
        assertTrue(won > 0, "no restore won the race: the scenario did not exercise it");
    }
}
