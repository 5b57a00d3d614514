package io.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Seeded;
import io.cachekeeper.support.SimultaneousPasses;
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
            SimultaneousPasses passes = SimultaneousPasses.run(replicas, LOCK_WAITS);
            for (JsonPath report : passes.reports) {
                assertTrue(report.getBoolean("completed"), report.prettify());
            }
            long purged = passes.purged();

            assertEquals(120_000, purged, "the reports add up to the eligible rows: each purged exactly once");
            assertEquals(0, Db.count("cache_key LIKE 'p-%' OR cache_key LIKE 's-%'"));
            assertEquals(25_000, Db.count("cache_key LIKE 'l-%' AND deleted_at IS NULL AND expires_at IS NULL"));
            assertEquals(5_000, Db.count("cache_key LIKE 'd-%'"));
            assertEquals(30_000, Db.count("true"));
            assertTrue(passes.samples > 10, "too few lock samples to say anything");
            assertEquals(0, passes.maxLockWaits, "a replica waited on another's row lock");
        } finally {
            for (AppProcess replica : replicas) {
                replica.close();
            }
        }
    }

    /** Backends of this database waiting for a lock, or locks not granted, whichever count is larger. */
    private static final String LOCK_WAITS = "SELECT greatest("
            + " (SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()),"
            + " (SELECT count(*) FROM pg_locks WHERE NOT granted))";
}
