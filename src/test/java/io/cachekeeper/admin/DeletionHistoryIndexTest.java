package io.cachekeeper.admin;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The chart of soft deletions is read from {@code cache_entry_purge_deleted_idx}, never by scanning the table, also
 * once PostgreSQL plans the statement generically: checked with its own counters (on PostgreSQL; on Citus the scans
 * run on the workers' shards).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeletionHistoryIndexTest {

    @Test
    void readsTheDeletionIndexNeverTheTable() {
        Db.seed(20_000, "live-", Seeded.LIVE);
        Db.seed(2_000, "del-", Seeded.DELETED);
        Db.exec("UPDATE cache_entry SET deleted_at = now() - (random() * interval '40 hours') WHERE deleted_at IS NOT NULL");
        Db.exec("VACUUM ANALYZE cache_entry");
        Db.publishStatistics();
        long seqScans = Db.queryLong("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'cache_entry'");
        long indexScans = Db.queryLong(
                "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'cache_entry_purge_deleted_idx'");
        for (int i = 0; i < 7; i++) { // past PostgreSQL's five custom plans, to the generic one
            given().get("/admin/deletions").then().statusCode(200);
        }
        Db.publishStatistics();
        assertEquals(seqScans, Db.queryLong("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'cache_entry'"),
                "a chart scanned the table");
        assertTrue(Db.queryLong(
                "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = 'cache_entry_purge_deleted_idx'") >= indexScans
                        + 7,
                "each chart is read from cache_entry_purge_deleted_idx");
    }
}
