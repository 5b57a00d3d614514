package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Contract (docs/contract.md): the {@code @Scheduled} trigger runs the same pass every {@code cachekeeper.cleanup.interval}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(ScheduledCleanupTest.EverySecond.class)
class ScheduledCleanupTest {

    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.cleanup.enabled", "true", "cachekeeper.cleanup.interval", "1s");
        }
    }

    @Test
    void schedulerPurgesWithoutBeingAsked() {
        Db.clear();
        Db.seed(25, "p-", Seeded.PURGEABLE);
        Db.seed(5, "l-", Seeded.LIVE);

        Poll.until(Duration.ofSeconds(20), "a scheduled pass purges the 25 purgeable rows",
                () -> Db.count("true") == 5);
        assertEquals(5, Db.count("cache_key LIKE 'l-%'"));

        given().get("/admin/cleanup").then().statusCode(200)
                .body("configuration.enabled", equalTo(true))
                .body("configuration.interval", equalTo("PT1S"))
                .body("lastRun.trigger", equalTo("scheduled"))
                .body("nextRun", notNullValue());
    }
}
