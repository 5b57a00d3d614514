package io.cachekeeper.recyclebin;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.CitusCluster;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * A bulk restore on Citus goes shard by shard to the workers (docs/scale.md): a worker that is down when the
 * restore reaches its shards fails the call with 503, the batches committed before stay restored, and the
 * same call once the worker is back restores the rest. Nothing is lost either way.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
class RestoreWorkerFailureCitusIT {

    @Test
    void aWorkerDownMidRestoreAnswers503AndTheSameCallAgainRestoresTheRest() {
        Db.clear();
        Db.seed(4_000, "worker-down-", Seeded.DELETED);
        String restore = "/admin/entries/restore?deletedAfter=" + Instant.now().minusSeconds(3600);
        CitusCluster cluster = PostgresResource.citus();
        cluster.stopWorker(1);
        try {
            given().post(restore).then().log().ifValidationFails().statusCode(503)
                    .contentType(containsString("application/problem+json"));
        } finally {
            cluster.startWorker(1);
        }
        Poll.until(Duration.ofSeconds(30), "the same restore goes through once the worker is back",
                () -> given().post(restore).statusCode() == 200);
        assertEquals(4_000, Db.count("cache_key LIKE 'worker-down-%' AND deleted_at IS NULL"), "every entry restored");
        assertEquals(0, Db.count("deleted_at IS NOT NULL"));
    }
}
