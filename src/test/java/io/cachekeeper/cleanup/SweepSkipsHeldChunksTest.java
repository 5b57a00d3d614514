package io.cachekeeper.cleanup;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A lane sweeps a chunk only while it holds the chunk's advisory lock: a chunk another replica's lane
 * sweeps right now is left to it, not queued behind its row locks. Here the test's own session plays
 * that lane: it holds chunk 1's lock and, as a lane's DELETE in progress would, every row of the chunk.
 * A pass must finish without waiting, purge every other chunk and leave chunk 1 to its holder; once
 * the holder has gone, the next pass purges chunk 1 and no lock of the sweep stays behind.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SweepSkipsHeldChunksTest {

    /** The page of a row, from its TID. */
    private static final String PAGE = "(ctid::text::point)[0]";
    private static final String IN_CHUNK_1 = PAGE + " >= " + HeapSweep.CHUNK_PAGES + " AND " + PAGE + " < "
            + 2 * HeapSweep.CHUNK_PAGES;

    @Test
    void aChunkAnotherLaneHoldsIsLeftToItWithoutWaiting() throws Exception {
        Db.clear();
        Db.seed(25_000, "p-", Seeded.PURGEABLE);
        Db.exec("ANALYZE cache_entry");
        long pages = Db.queryLong("SELECT pg_relation_size('cache_entry') / current_setting('block_size')::int");
        assertTrue(pages > 2 * HeapSweep.CHUNK_PAGES, "the table spans three chunks: " + pages + " pages");
        long inChunk1 = Db.count(IN_CHUNK_1);

        try (Connection otherLane = Db.connect(); Statement s = otherLane.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + HeapSweep.LOCK_CLASS + ", 1)");
            otherLane.setAutoCommit(false);
            s.execute("SELECT id FROM cache_entry WHERE " + IN_CHUNK_1 + " FOR UPDATE");

            // Without the chunk lock the pass's DELETE would queue behind these row locks until the
            // database timeout and report completed: false.
            Response pass = CompletableFuture.supplyAsync(Entries::cleanup).get(60, TimeUnit.SECONDS);
            pass.then().statusCode(200)
                    .body("completed", equalTo(true))
                    .body("purged", equalTo((int) (25_000 - inChunk1)));
            assertEquals(inChunk1, Db.count("true"), "only the held chunk's rows are left");
            assertEquals(inChunk1, Db.count(IN_CHUNK_1));
            otherLane.rollback();
        }

        assertEquals(0, sweepLocksHeld(), "the holder has gone, and the pass let go of its own chunks");
        Entries.cleanup().then().statusCode(200).body("purged", equalTo((int) inChunk1));
        assertEquals(0, Db.count("true"));
        assertEquals(0, sweepLocksHeld(), "a pass leaves no chunk lock on its connections");
    }

    private static long sweepLocksHeld() {
        return Db.queryLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = "
                + HeapSweep.LOCK_CLASS);
    }
}
