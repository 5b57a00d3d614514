package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A heap pass plans from statistics and sweeps the heap: it never walks the partial indexes, whose
 * entries for the rows just deleted stay until vacuum (walking them visits and prunes those pages: a
 * quarter of a dense pass's WAL, measured). The index scans of the two partial indexes are counted by
 * PostgreSQL itself ({@code pg_stat_user_indexes}), read once every session has published its counts (Db.publishStatistics);
 * the table's count of deleted rows shows the passes' counts were published.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PassReadsOnlyWhatItDeletesTest {

    private static final String ROWS_DELETED = "SELECT n_tup_del FROM pg_stat_user_tables WHERE relname = 'cache_entry'";
    private static final String PARTIAL_INDEX_SCANS = "SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_user_indexes"
            + " WHERE indexrelname IN ('cache_entry_purge_deleted_idx', 'cache_entry_purge_expired_idx')";

    @Test
    void aDensePassNeitherCountsNorWalksThePartialIndexes() {
        Db.clear();
        Db.seed(3000, "p-", Seeded.PURGEABLE);
        Db.seed(3000, "s-", Seeded.STALE);
        Db.seed(1000, "l-", Seeded.LIVE);
        Db.exec("ANALYZE cache_entry");

        Db.publishStatistics();
        long before = Db.queryLong(PARTIAL_INDEX_SCANS);
        long deleted = Db.queryLong(ROWS_DELETED);
        given().post("/admin/cleanup").then().statusCode(200)
                .body("completed", equalTo(true)).body("purged", equalTo(6000));
        // Again, over the dead entries the first pass left behind (no vacuum in between).
        given().post("/admin/cleanup").then().statusCode(200).body("purged", equalTo(0));
        Db.publishStatistics();
        assertEquals(before, Db.queryLong(PARTIAL_INDEX_SCANS), "the passes scanned a partial index");
        // At least the 6,000: a sweep range rolled back for holding more than a batch counts its rows too.
        assertTrue(Db.queryLong(ROWS_DELETED) >= deleted + 6000, "the passes' sessions did publish their counts");
        assertEquals(1000, Db.count("true"));
        assertEquals(0.0, Metrics.value("cachekeeper_cleanup_backlog_rows"), "a completed pass leaves no backlog");

    }

}
