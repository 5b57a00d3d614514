package io.cachekeeper.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.problem.DatabaseUnavailable;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** Every interaction through {@link Database} is bounded by cachekeeper.database.timeout, on both sides. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(DatabaseBoundTest.OneSecond.class)
class DatabaseBoundTest {

    public static class OneSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.database.timeout", "1s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Database database;

    @Test
    void everySessionCarriesTheBoundAsItsStatementTimeout() {
        assertEquals("1s", show("statement_timeout"));
        assertEquals("1s", show("idle_in_transaction_session_timeout"));
        assertEquals("cachekeeper", show("application_name"));
    }

    @Test
    void aStatementPastTheBoundFailsAtTheBoundAndItsConnectionIsNeverHandedOutAgain() {
        // Several idle connections in the pool: after the timeout they are closed as suspects, and the calls
        // right after it must not trip over one of them.
        io.smallrye.mutiny.Uni.join().all(java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> database.execute("SELECT pg_sleep(0.05)")).toList())
                .andFailFast().await().atMost(WAIT);
        long start = System.nanoTime();
        // The server's own bound is lifted on this session, so only the client's applies.
        Throwable failure = assertThrows(RuntimeException.class, () -> database.transaction(c -> c
                .query("SET statement_timeout = 0").execute()
                .chain(() -> c.query("SELECT pg_sleep(4)").execute()), rows -> false)
                .await().atMost(WAIT));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(DatabaseTimeoutException.class, failure);
        assertTrue(ms >= 1000 && ms < 2500, "failed after " + ms + " ms");
        // Had the connection gone back to the pool, some call would now run without the server's bound.
        for (int i = 0; i < 25; i++) {
            assertEquals("1s", show("statement_timeout"));
        }
    }

    @Test
    void theServerCancelsAStatementTheServiceGaveUpOn() {
        long start = System.nanoTime();
        Throwable failure = assertThrows(RuntimeException.class,
                () -> database.execute("SELECT pg_sleep(4)").await().atMost(WAIT));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(DatabaseUnavailable.is(failure), "a timeout is the client's cue to retry (503): " + failure);
        assertTrue(ms < 2500, "failed after " + ms + " ms");
        io.cachekeeper.support.Poll.until(Duration.ofSeconds(2), "the server no longer runs the statement",
                () -> io.cachekeeper.support.Db.queryLong("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE query = 'SELECT pg_sleep(4)' AND state = 'active'") == 0);
    }

    private String show(String setting) {
        RowSet<Row> rows = database.execute("SHOW " + setting).await().atMost(WAIT);
        return rows.iterator().next().getString(0);
    }
}
