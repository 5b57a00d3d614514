package io.cachekeeper.cleanup;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Passes;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With several workers a pass still purges every eligible row exactly once and nothing else: on the
 * heap sweep (workers take disjoint chunks) and on the index path (SKIP LOCKED).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ParallelWorkersTest {

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = { "HEAP", "INDEX" })
    void workersShareThePassWithoutDoubleCounting(Strategy strategy) {
        Db.clear();
        Db.seed(7_013, "p-", Seeded.PURGEABLE);
        Db.seed(5_011, "s-", Seeded.STALE);
        Db.seed(3_000, "l-", Seeded.LIVE);
        Db.seed(1_000, "d-", Seeded.DELETED);

        Passes.run(s -> s.withWorkers(4).withBatchSize(50).withStrategy(strategy)).then().statusCode(200)
                .body("completed", equalTo(true))
                .body("purgedDeleted", equalTo(7_013))
                .body("purgedExpired", equalTo(5_011))
                .body("purged", equalTo(12_024));
        assertEquals(4_000, Db.count("true"));
        assertEquals(3_000, Db.count("cache_key LIKE 'l-%'"));
    }
}
