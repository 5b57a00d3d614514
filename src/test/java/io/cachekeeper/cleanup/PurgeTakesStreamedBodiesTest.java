package io.cachekeeper.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.database.Database;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each purge statement (an index batch, a heap-sweep range; eviction in {@link SizeCapTest}) removes the
 * streamed bodies of the entries it deletes, with their chunks, in the same statement, and leaves every
 * other body alone; a batch without streamed bodies does no work for them (sql/purge.sql).
 * The statements are driven directly, so that each path is exercised whatever the planner would pick.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PurgeTakesStreamedBodiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Database database;

    @Inject
    PurgeBatch batch;

    @Inject
    HeapSweep heap;

    private String purgedBody;
    private String keptBody;
    private String unheldBody;

    @BeforeEach
    void seed() {
        Db.clear();
        String key = "GET https://example.com/purged-with-its-body";
        purgedBody = Entries.upload(key, bytes(300_000, 1)); // two chunks of the default 256 KiB
        String purged = Entries.create(Entries.streamed(key, purgedBody));
        keptBody = Entries.upload(key, bytes(1_000, 2));
        Entries.create(Entries.streamed(key, keptBody));
        unheldBody = Entries.upload(key, bytes(1_000, 3));
        String plain = Entries.create(key); // deleted too, its body in the JSON
        for (String id : new String[] { purged, plain }) {
            Entries.delete(id).then().statusCode(200);
            Entries.backdateDeletion(id, 7200);
        }
    }

    @Test
    void anIndexBatchTakesTheBodiesOfTheEntriesItDeletes() {
        int purged = database.session(c -> batch.delete(c, PurgeReason.DELETED_PAST_GRACE, 10)).await().atMost(WAIT);
        assertEquals(2, purged);
        assertOnlyThePurgedBodyIsGone();
    }

    @Test
    void aHeapSweepRangeTakesTheBodiesOfTheEntriesItDeletes() {
        SweepCursor.TidRange wholeTable = new SweepCursor.TidRange(0, SweepCursor.slotsPerPage(8192) * 1_000L,
                SweepCursor.slotsPerPage(8192));
        HeapSweep.RangeResult result = database.session(c -> heap.delete(c, wholeTable, 10)).await().atMost(WAIT);
        assertEquals(2, result.deleted());
        assertOnlyThePurgedBodyIsGone();
    }

    @Test
    void aBatchOverEntriesWithoutStreamedBodiesRemovesNoBody() {
        Db.exec("UPDATE cache_entry SET deleted_at = NULL WHERE body_id IS NOT NULL");
        int purged = database.session(c -> batch.delete(c, PurgeReason.DELETED_PAST_GRACE, 10)).await().atMost(WAIT);
        assertEquals(1, purged);
        assertEquals(3, Db.queryLong("SELECT count(*) FROM cache_body"));
    }

    private void assertOnlyThePurgedBodyIsGone() {
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_body WHERE id = '" + purgedBody + "'"));
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_body_chunk WHERE body_id = '" + purgedBody + "'"));
        assertEquals(2, Db.queryLong("SELECT count(*) FROM cache_body WHERE id IN ('" + keptBody + "', '" + unheldBody + "')"));
        assertEquals(2, Db.queryLong("SELECT count(*) FROM cache_body_chunk"));
        assertEquals(1, Db.queryLong("SELECT count(*) FROM cache_entry"));
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
