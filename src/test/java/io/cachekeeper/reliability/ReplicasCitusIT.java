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
 * On a real Citus cluster (the {@code -Pcitus} suite): two replicas run passes at the same moment over
 * 200,000 eligible rows spread over every shard. Every eligible row is purged exactly once in total (the
 * reports add up), with its id map row; no live row is touched; and no backend anywhere in the cluster
 * waits on another's lock (sampled throughout on every node): a shard is swept by one pass at a time, the
 * other skips it.
 */
class ReplicasCitusIT {

    /**
     * Locks not granted, on the coordinator and on every worker: the ranges run on the workers in sessions of
     * their own, outside any distributed transaction, which {@code citus_lock_waits} would not see.
     */
    private static final String LOCK_WAITS = "SELECT (SELECT count(*) FROM pg_locks WHERE NOT granted)"
            + " + (SELECT coalesce(sum(result::int), 0) FROM run_command_on_workers("
            + "'SELECT count(*) FROM pg_locks WHERE NOT granted'))";

    @Test
    void twoReplicasPurge200000RowsExactlyOnce() throws Exception {
        List<AppProcess> replicas = new ArrayList<>();
        try {
            // Started first: the first start distributes the tables (citus/CitusSchema), when this test runs alone.
            for (int i = 0; i < 2; i++) {
                replicas.add(AppProcess.start("citus-replica-" + i, Map.of("CACHEKEEPER_CLEANUP_ENABLED", "false")));
            }
            Db.clear();
            // Ids that name their route (no id map row), and clients' ids (with one), among both the purged and the kept.
            Db.seed(150_000, "p-", Seeded.PURGEABLE);
            Db.seed(50_000, "s-", Seeded.STALE, true);
            Db.seed(20_000, "l-", Seeded.LIVE, true);
            assertEquals(70_000, Db.queryLong("SELECT count(*) FROM cache_entry_id"));
            SimultaneousPasses passes = SimultaneousPasses.run(replicas, LOCK_WAITS);
            for (JsonPath report : passes.reports) {
                assertTrue(report.getBoolean("completed"), report.prettify());
            }
            long purged = passes.purged();

            assertEquals(200_000, purged, "the reports add up to the eligible rows: each purged exactly once");
            assertEquals(0, Db.count("cache_key LIKE 'p-%' OR cache_key LIKE 's-%'"));
            assertEquals(20_000, Db.count("cache_key LIKE 'l-%' AND deleted_at IS NULL AND expires_at IS NULL"));
            assertEquals(20_000, Db.queryLong("SELECT count(*) FROM cache_entry_id"),
                    "the purged entries' id map rows are gone");
            assertTrue(passes.samples > 10, "too few lock samples to say anything");
            assertEquals(0, passes.maxLockWaits, "a backend waited on another's lock");
        } finally {
            for (AppProcess replica : replicas) {
                replica.close();
            }
        }
    }
}
