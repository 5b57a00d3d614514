package io.cachekeeper.recyclebin;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A page of the recycle bin (Hibernate Reactive's way to the database) whose statement the server cancels
 * (SQLSTATE 57014, as {@code statement_timeout} does) or whose session it terminates (57P01, as a fast
 * shutdown does to every session) answers 503 with Retry-After, as every other operation does; Hibernate
 * Reactive reports the server's error as a {@code SQLException} of its own, which was a 500. The page is
 * held on a table lock of the test's own so that the server's signal reaches it mid-statement.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BrowseCutOffByTheServerTest {

    private static final String WAITING_BROWSE = "SELECT pid FROM pg_stat_activity WHERE application_name = 'cachekeeper'"
            + " AND wait_event_type = 'Lock' AND query ILIKE '%from cache_entry%'";

    @Test
    void aBrowseWhoseStatementTheServerCancelsAnswers503() throws Exception {
        browseWhileTheServer("pg_cancel_backend");
    }

    @Test
    void aBrowseWhoseSessionTheServerTerminatesAnswers503() throws Exception {
        browseWhileTheServer("pg_terminate_backend");
    }

    private void browseWhileTheServer(String signal) throws Exception {
        Db.clear();
        Db.seed(10, "browse-", Seeded.DELETED);
        try (Connection lock = Db.connect(); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE cache_entry IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<ValidatableResponse> browse = CompletableFuture
                    .supplyAsync(() -> given().get("/admin/entries?state=deleted&limit=5").then());
            int terminated = 0;
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); terminated == 0
                    && System.nanoTime() < until;) {
                // Another session: the lock holder's transaction would see one snapshot of pg_stat_activity.
                try (Connection other = Db.connect();
                        Statement t = other.createStatement();
                        ResultSet r = t.executeQuery(WAITING_BROWSE)) {
                    while (r.next()) {
                        try (Statement kill = other.createStatement()) {
                            kill.execute("SELECT " + signal + "(" + r.getInt(1) + ")");
                            terminated++;
                        }
                    }
                }
                Thread.sleep(20);
            }
            assertTrue(terminated > 0, "the page never waited on the lock: nothing to terminate");
            browse.get(10, TimeUnit.SECONDS).statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", notNullValue()).body("status", equalTo(503));
            lock.rollback();
        }
        given().get("/admin/entries?state=deleted&limit=5").then().statusCode(200);
    }
}
