package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Passes;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Contract (docs/contract.md): at most one pass per instance; an admin call while one runs gets 409. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConcurrentCleanupTest {

    @Test
    void secondCallWhileAPassRunsGets409() {
        Db.clear();
        Db.seed(4000, "p-", Seeded.PURGEABLE);

        CompletableFuture<Response> first = CompletableFuture
                // Tiny batches make a pass over a few thousand rows last long enough to overlap with a second call.
                .supplyAsync(() -> Passes.run(s -> s.withBatchSize(5)));
        Poll.until(Duration.ofSeconds(20), "the first pass is running",
                () -> given().get("/admin/cleanup").then().extract().<Boolean> path("running"));

        given().post("/admin/cleanup").then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));

        first.join().then().statusCode(200).body("purged", equalTo(4000)).body("completed", equalTo(true));
        assertEquals(0, Db.count("true"));
        given().get("/admin/cleanup").then().body("running", equalTo(false));
    }
}
