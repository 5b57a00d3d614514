package io.cachekeeper.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.Database;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * A worker's session sweeps with the range DELETE on its generic plan, and gives the connection back
 * to the pool with the server's default (the API's statements on that connection plan as before) and
 * without the chunk locks it took, also when the sweep fails.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SweepSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Database database;

    @Inject
    HeapSweep heap;

    @Test
    void theSweepPlansGenericallyAndTheConnectionReturnsWithTheDefault() {
        String[] during = new String[1];
        String after = database.session(connection -> heap
                .inSweepSession(connection, planCacheMode(connection).invoke(mode -> during[0] = mode))
                .chain(() -> planCacheMode(connection)))
                .await().atMost(WAIT);
        assertEquals("force_generic_plan", during[0]);
        assertEquals("auto", after);
    }

    @Test
    void aFailingSweepStillResetsTheSettingAndLetsGoOfItsChunk() {
        String[] after = new String[2];
        database.session(connection -> heap
                .inSweepSession(connection, connection.query("SELECT pg_advisory_lock(" + HeapSweep.LOCK_CLASS + ", 7)")
                        .execute()
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("a batch failed"))))
                .onFailure().recoverWithNull()
                .chain(() -> planCacheMode(connection)).invoke(mode -> after[0] = mode)
                .chain(() -> connection.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND pid = pg_backend_pid()").execute())
                .invoke(rows -> after[1] = String.valueOf(rows.iterator().next().getLong(0))))
                .await().atMost(WAIT);
        assertEquals("auto", after[0]);
        assertEquals("0", after[1], "the session holds no chunk lock");
    }

    private Uni<String> planCacheMode(SqlConnection connection) {
        return connection.query("SHOW plan_cache_mode").execute().map(rows -> rows.iterator().next().getString(0));
    }
}
