package io.cachekeeper.cleanup;

import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@link BatchCleanupContract} through {@code POST /admin/cleanup}, on the path {@code auto} picks for a small table: the heap
 * sweep.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BatchCleanupTest extends BatchCleanupContract {

    @Override
    Response cleanup() {
        return Entries.cleanup();
    }

    @Override
    String path() {
        return "heap";
    }
}
