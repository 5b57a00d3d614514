package io.cachekeeper.reliability;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Passes;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The heap sweep takes no row locks, so its DELETE must re-check eligibility on the row version it
 * deletes. Here a restore (a writer's transaction) holds rows of a chunk while the sweep reaches them:
 * the sweep waits for that one transaction only, and then purges exactly the rows that are still
 * eligible — a restore that commits first wins; a writer that rolls back loses nothing either.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SweepRestoreTest {

    @BeforeEach
    void seed() {
        Db.clear();
        Db.seed(500, "p-", Seeded.PURGEABLE);
        Db.seed(100, "l-", Seeded.LIVE);
    }

    @Test
    void aRestoreCommittedWhileTheSweepWaitsWins() throws Exception {
        try (Connection writer = Db.connect(); Statement s = writer.createStatement()) {
            writer.setAutoCommit(false);
            // What POST …/restore does, for 30 rows in the middle of the table, not yet committed.
            assertEquals(30, s.executeUpdate("UPDATE cache_entry SET deleted_at = NULL, version = version + 1"
                    + " WHERE id IN (SELECT id FROM cache_entry WHERE cache_key LIKE 'p-%' ORDER BY ctid OFFSET 200 LIMIT 30)"));
            CompletableFuture<Response> pass = CompletableFuture.supplyAsync(Passes::smallHeapSweep);
            awaitSweepWaitingForTheWriter();
            writer.commit();
            pass.get().then().statusCode(200)
                    .body("completed", equalTo(true))
                    .body("purgedDeleted", equalTo(470));
        }
        assertEquals(130, Db.count("true"));
        assertEquals(30, Db.count("cache_key LIKE 'p-%' AND deleted_at IS NULL"), "the restored rows are live");
    }

    @Test
    void aWriterThatRollsBackLeavesItsRowsToTheSweep() throws Exception {
        try (Connection writer = Db.connect(); Statement s = writer.createStatement()) {
            writer.setAutoCommit(false);
            s.executeUpdate("UPDATE cache_entry SET deleted_at = NULL"
                    + " WHERE id IN (SELECT id FROM cache_entry WHERE cache_key LIKE 'p-%' ORDER BY ctid OFFSET 100 LIMIT 30)");
            CompletableFuture<Response> pass = CompletableFuture.supplyAsync(Passes::smallHeapSweep);
            awaitSweepWaitingForTheWriter();
            writer.rollback();
            pass.get().then().statusCode(200).body("purgedDeleted", equalTo(500));
        }
        assertEquals(100, Db.count("true"));
    }

    /**
     * The sweep's DELETE is blocked on the writer's row lock. The table is one chunk: one worker holds it
     * (the others skip it, see HeapSweep), and that worker's lanes share its connection, so one waits.
     */
    private static void awaitSweepWaitingForTheWriter() {
        Poll.until(java.time.Duration.ofSeconds(20), "the sweep waits for the writer's rows",
                () -> Db.queryLong("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE wait_event_type = 'Lock' AND query LIKE '%DELETE FROM cache_entry%'") >= 1);
    }
}
