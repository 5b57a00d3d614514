package io.cachekeeper.cleanup;

import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.cachekeeper.support.Passes;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@link BatchCleanupContract} on the index path: the same passes, with the strategy forced to {@code index}. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BatchCleanupIndexPathTest extends BatchCleanupContract {

    @Override
    Response cleanup() {
        return Passes.run(s -> s.withStrategy(Strategy.INDEX));
    }

    @Override
    String path() {
        return "index";
    }
}
