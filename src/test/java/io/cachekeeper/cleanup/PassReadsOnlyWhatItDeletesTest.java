package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * A heap pass plans from statistics and sweeps the heap: it never walks the partial indexes, whose
 * entries for the rows just deleted stay until vacuum (walking them visits and prunes those pages: a
 * quarter of a dense pass's WAL, measured). The index scans of the two partial indexes are counted by
 * PostgreSQL itself ({@code pg_stat_user_indexes}); a dry run, which does count over them, shows the
 * counter moves.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PassReadsOnlyWhatItDeletesTest {

    private static final String PARTIAL_INDEX_SCANS = "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes"
            + " WHERE indexrelname IN ('cache_entry_purge_deleted_idx', 'cache_entry_purge_expired_idx')";

    @Test
    void aDensePassNeitherCountsNorWalksThePartialIndexes() throws Exception {
        Db.clear();
        Db.seed(3000, "p-", "purgeable");
        Db.seed(3000, "s-", "stale");
        Db.seed(1000, "l-", "live");
        Db.exec("ANALYZE cache_entry");

        long before = settledIndexScans();
        given().post("/admin/cleanup").then().statusCode(200)
                .body("completed", equalTo(true)).body("purged", equalTo(6000));
        // Again, over the dead entries the first pass left behind (no vacuum in between).
        given().post("/admin/cleanup").then().statusCode(200).body("purged", equalTo(0));
        assertEquals(before, settledIndexScans(), "the passes scanned a partial index");
        assertEquals(1000, Db.count("true"));
        assertEquals(0.0, Metrics.value("cachekeeper_cleanup_backlog_rows"), "a completed pass leaves no backlog");

        given().post("/admin/cleanup?dryRun=true").then().statusCode(200);
        assertTrue(settledIndexScans() > before, "a dry run counts over the partial indexes, and the counter shows it");
    }

    /**
     * The index-scan counter once the service's sessions have reported: a backend publishes its counts at
     * most once a second, so read until two readings a second and a half apart agree.
     */
    private static long settledIndexScans() throws InterruptedException {
        long last = Db.queryLong(PARTIAL_INDEX_SCANS);
        while (true) {
            Thread.sleep(1500);
            long now = Db.queryLong(PARTIAL_INDEX_SCANS);
            if (now == last) {
                return now;
            }
            last = now;
        }
    }
}
