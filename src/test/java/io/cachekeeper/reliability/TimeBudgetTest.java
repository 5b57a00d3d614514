package io.cachekeeper.reliability;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.Passes;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** A pass that would run long stops at its time budget, reports it, frees the slot; the next pass resumes. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TimeBudgetTest {

    /**
     * Passes of tiny batches with a budget of 1 s (the first pass after start-up plans and warms up; at
     * 200 ms it purged nothing on a loaded machine).
     */
    private static Response shortPass() {
        return Passes.run(s -> s.withTimeBudget(Duration.ofSeconds(1)).withBatchSize(5));
    }

    @Test
    void passStopsAtItsBudgetAndTheNextOneResumes() {
        Db.clear();
        Db.seed(40000, "p-", Seeded.PURGEABLE);
        Db.seed(10, "l-", Seeded.LIVE);
        Db.exec("ANALYZE cache_entry");

        JsonPath first = shortPass().then().statusCode(200)
                .body("completed", equalTo(false))
                .body("error", containsString("time budget"))
                .extract().jsonPath();
        long purged = first.getLong("purged");
        assertTrue(purged > 0 && purged < 40000, "purged " + purged);
        // whole batches only: what the report says is exactly what left the table
        assertEquals(40010 - purged, Db.count("true"));
        assertTrue(first.getLong("durationMs") < 5000, "the budget bounds the pass");
        // The backlog it left: the statistics' estimate of the eligible rows at its start, less what it purged.
        double backlog = Metrics.value("cachekeeper_cleanup_backlog_rows");
        assertTrue(Math.abs(backlog - (40000 - purged)) < 4000, "backlog " + backlog + ", left " + (40000 - purged));

        // The slot is free again and later passes carry on where this one stopped.
        given().get("/admin/cleanup").then().body("running", equalTo(false));
        long total = purged;
        for (int i = 0; i < 500 && Db.count("cache_key LIKE 'p-%'") > 0; i++) {
            total += shortPass().then().statusCode(200).extract().jsonPath().getLong("purged");
        }
        assertEquals(40000, total);
        assertEquals(10, Db.count("true"));
        assertEquals(0.0, Metrics.value("cachekeeper_cleanup_backlog_rows"), "the last, completed pass left none");
    }
}
