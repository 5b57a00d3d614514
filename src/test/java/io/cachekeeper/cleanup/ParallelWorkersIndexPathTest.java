package io.cachekeeper.cleanup;

import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ParallelWorkersTest} on the index path. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(ParallelWorkersIndexPathTest.FourIndexWorkers.class)
class ParallelWorkersIndexPathTest extends ParallelWorkersTest {

    public static class FourIndexWorkers extends FourWorkers {
        @Override
        protected String strategy() {
            return "index";
        }
    }
}
