package io.cachekeeper.admin;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Contract (docs/contract.md): health (readiness includes the database), Prometheus metrics, OpenAPI and Swagger UI. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OperationsEndpointsTest {

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("database"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void cleanupMetricsAreExported() {
        Db.clear();
        Db.seed(3, "m-", Seeded.PURGEABLE);
        Db.seed(2, "s-", Seeded.STALE);
        double deletedBefore = purgedTotal("deleted");
        double expiredBefore = purgedTotal("expired");
        double batchesBefore = Metrics.series("cachekeeper_cleanup_batch_seconds_count{path=\"heap\"}")
                + Metrics.series("cachekeeper_cleanup_batch_seconds_count{path=\"index\"}");
        int batches = given().post("/admin/cleanup").then().statusCode(200).body("purged", equalTo(5))
                .extract().path("batches");

        org.junit.jupiter.api.Assertions.assertEquals(deletedBefore + 3, purgedTotal("deleted"));
        org.junit.jupiter.api.Assertions.assertEquals(expiredBefore + 2, purgedTotal("expired"));
        org.junit.jupiter.api.Assertions.assertEquals(batchesBefore + batches,
                Metrics.series("cachekeeper_cleanup_batch_seconds_count{path=\"heap\"}")
                        + Metrics.series("cachekeeper_cleanup_batch_seconds_count{path=\"index\"}"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("cachekeeper_cleanup_pass_seconds_count{completed=\"true\",trigger=\"manual\"}"));
    }

    private static double purgedTotal(String reason) {
        return Metrics.series("cachekeeper_cleanup_purged_total{reason=\"" + reason + "\"}");
    }

    @Test
    void openApiDescribesTheApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/entries/{id}/restore"))
                .body(containsString("/admin/cleanup"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
