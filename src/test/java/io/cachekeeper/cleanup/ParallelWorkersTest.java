package io.cachekeeper.cleanup;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With several workers a pass still purges every eligible row exactly once and nothing else: on the
 * heap sweep (workers take disjoint chunks) and, in {@link ParallelWorkersIndexPathTest}, on the index path.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(ParallelWorkersTest.FourWorkers.class)
class ParallelWorkersTest {

    public static class FourWorkers implements QuarkusTestProfile {
        protected String strategy() {
            return "heap";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.cleanup.workers", "4", "cachekeeper.cleanup.batch-size", "50",
                    "cachekeeper.cleanup.strategy", strategy());
        }
    }

    @Test
    void workersShareThePassWithoutDoubleCounting() {
        Db.clear();
        Db.seed(7_013, "p-", Seeded.PURGEABLE);
        Db.seed(5_011, "s-", Seeded.STALE);
        Db.seed(3_000, "l-", Seeded.LIVE);
        Db.seed(1_000, "d-", Seeded.DELETED);

        Entries.cleanup().then().statusCode(200)
                .body("completed", equalTo(true))
                .body("purgedDeleted", equalTo(7_013))
                .body("purgedExpired", equalTo(5_011))
                .body("purged", equalTo(12_024));
        assertEquals(4_000, Db.count("true"));
        assertEquals(3_000, Db.count("cache_key LIKE 'l-%'"));
    }
}
