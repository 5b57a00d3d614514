package io.cachekeeper.recyclebin;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each page of the recycle bin is an index scan in its order, at any depth: no page reads the table
 * sequentially. Checked with PostgreSQL's own counters ({@code pg_stat_user_tables},
 * {@code pg_stat_user_indexes}) on a table large enough that the planner would not scan it for fun.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RecycleBinIndexTest {

    private static final String SEQ_SCANS = "SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'cache_entry'";

    @Test
    void everyPageIsAnIndexScanInItsOrder() {
        Db.clear();
        Db.seed(50_000, "live-", Seeded.LIVE);
        Db.seed(5_000, "del-", Seeded.DELETED);
        Db.exec("UPDATE cache_entry SET deleted_at = now() - (random() * interval '50 minutes') WHERE deleted_at IS NOT NULL");
        Db.exec("VACUUM ANALYZE cache_entry");

        Db.publishStatistics();
        long seqScans = Db.queryLong(SEQ_SCANS);
        long deletedOrder = Db.queryLong(indexScans("cache_entry_purge_deleted_idx"));
        long createdOrder = Db.queryLong(indexScans("cache_entry_created_idx"));
        String page = "/admin/entries?state=deleted&limit=100";
        for (int i = 0; i < 3; i++) {
            String link = given().get(page).then().statusCode(200).body("$", hasSize(100)).extract().header("Link");
            page = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        given().get("/admin/entries?limit=100").then().statusCode(200).body("$", hasSize(100));
        given().get("/admin/entries?state=live&state=deleted&limit=100").then().statusCode(200).body("$", hasSize(100));
        Db.publishStatistics();
        assertTrue(Db.queryLong(indexScans("cache_entry_purge_deleted_idx")) >= deletedOrder + 3,
                "newest deletion first is read from cache_entry_purge_deleted_idx");
        assertTrue(Db.queryLong(indexScans("cache_entry_created_idx")) >= createdOrder + 2,
                "newest first is read from cache_entry_created_idx");
        assertEquals(seqScans, Db.queryLong(SEQ_SCANS), "a page scanned the table");
    }

    private static String indexScans(String index) {
        return "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = '" + index + "'";
    }
}
