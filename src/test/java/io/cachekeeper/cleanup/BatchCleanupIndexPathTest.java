package io.cachekeeper.cleanup;

import java.util.Map;

import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@link BatchCleanupTest} on the index path (partial indexes, SKIP LOCKED), which auto picks for sparse tables. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(BatchCleanupIndexPathTest.IndexPath.class)
class BatchCleanupIndexPathTest extends BatchCleanupTest {

    public static class IndexPath implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.cleanup.strategy", "index");
        }
    }
}
