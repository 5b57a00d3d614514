package io.cachekeeper.reliability;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.RestartablePostgres;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * PostgreSQL stops during a pass and during API traffic: the pass ends with completed=false and an
 * error, API calls get 503 problem+json quickly (no hang), readiness goes DOWN; when the database
 * is back everything recovers by itself and the next scheduled pass completes.
 */
class DatabaseOutageIT {

    @Test
    void survivesTheDatabaseGoingAwayAndComingBack() throws Exception {
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "outage-pg"))) {
            db.start();
            db.migrate();
            db.insertPurgeable("p-", 60000);

            Map<String, String> env = db.appEnvironment();
            env.put("CACHEKEEPER_CLEANUP_INTERVAL", "1s");
            env.put("CACHEKEEPER_CLEANUP_BATCH_SIZE", "10");
            try (AppProcess app = AppProcess.startWith("outage", env)) {
                String id = app.api().contentType(ContentType.JSON).body(Entries.body("outage")).post("/entries")
                        .then().statusCode(201).extract().path("id");
                Poll.until(Duration.ofSeconds(30), "a scheduled pass is running",
                        () -> app.api().get("/admin/cleanup").then().extract().<Boolean> path("running"));

                db.stop();

                // The pass in flight ends, incomplete, with the error.
                Poll.until(Duration.ofSeconds(30), "the pass reports the failure", () -> {
                    JsonPath status = app.api().get("/admin/cleanup").then().statusCode(200).extract().jsonPath();
                    return status.get("lastRun") != null && !status.getBoolean("lastRun.completed");
                });
                JsonPath failed = app.api().get("/admin/cleanup").then().extract().jsonPath();
                assertNotNull(failed.getString("lastRun.error"), failed.prettify());
                System.out.println("pass during outage: " + failed.getString("lastRun.error"));

                // API calls fail fast with 503 problem+json.
                long start = System.nanoTime();
                Response get = app.api().get("/entries/" + id);
                long ms = (System.nanoTime() - start) / 1_000_000;
                get.then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
                assertTrue(ms < 10_000, "GET took " + ms + " ms while the database was down");
                app.api().contentType(ContentType.JSON).body(Entries.body("outage")).post("/entries")
                        .then().statusCode(503).contentType("application/problem+json");
                app.api().get("/admin/stats").then().statusCode(503);
                app.api().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
                app.api().get("/q/health/live").then().statusCode(200);

                db.start();

                Poll.until(Duration.ofSeconds(60), "readiness is UP again",
                        () -> app.api().get("/q/health/ready").statusCode() == 200);
                // The pass that stopped on the outage left purgeable rows behind: a scheduled pass after it
                // completes and the table holds exactly the live entry again.
                Poll.until(Duration.ofSeconds(120), "a scheduled pass completes after the outage", () -> {
                    JsonPath status = app.api().get("/admin/cleanup").then().extract().jsonPath();
                    return status.getBoolean("lastRun.completed") && "scheduled".equals(status.getString("lastRun.trigger"))
                            && db.rows() == 1;
                });
                app.api().get("/entries/" + id).then().statusCode(200).body("state", equalTo("live"));
                assertEquals(1, db.rows(), "everything purgeable is purged, the live entry kept");
            }
        }
    }
}
