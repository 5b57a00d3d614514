package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Contract (docs/contract.md): {@code GET /admin/cleanup} shows running, the last report, the effective settings, the next run.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CleanupStatusTest {

    @Test
    void showsEffectiveConfigurationAndLastRun() {
        Db.clear();
        Db.seed(3, "p-", Seeded.PURGEABLE);
        String startedAt = given().post("/admin/cleanup").then().statusCode(200).extract().path("startedAt");
        given().get("/admin/cleanup").then().statusCode(200)
                .body("running", equalTo(false))
                // lastRun is the report of the pass that just ran, not any other
                .body("lastRun.startedAt", equalTo(startedAt))
                .body("lastRun.trigger", equalTo("manual"))
                .body("lastRun.purgedDeleted", equalTo(3))
                .body("lastRun.completed", equalTo(true))
                .body("configuration.gracePeriod", equalTo("PT1H"))
                .body("configuration.batchSize", equalTo(200))
                .body("configuration.workers", equalTo(2))
                .body("configuration.interval", equalTo("PT1M"))
                .body("configuration.staleRetention", equalTo("PT0S"))
                .body("configuration.timeBudget", equalTo("PT5M"))
                .body("configuration.strategy", equalTo("auto"))
                .body("configuration.shareUnderLoad", equalTo(0.1f))
                // the test profile disables scheduled passes, so none is due
                .body("configuration.enabled", equalTo(false))
                .body("nextRun", nullValue());
    }
}
