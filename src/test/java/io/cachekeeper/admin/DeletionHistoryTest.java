package io.cachekeeper.admin;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET /admin/deletions}: the entries soft-deleted in each of the last hours that are still in the store, every
 * hour of the span present, and where the grace period starts (DeletionHistoryIndexTest: from the deletion index).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeletionHistoryTest {

    /** Inside the current hour of the database clock, whenever the test runs. */
    private static final String THIS_HOUR = "date_trunc('hour', now()) + (now() - date_trunc('hour', now())) / 2";

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void countsEachHourOfTheSpanOldestFirst() {
        Db.seed(7, "live-", Seeded.LIVE);
        Db.seed(3, "now-", Seeded.DELETED);
        Db.seed(2, "five-", Seeded.DELETED);
        Db.seed(4, "old-", Seeded.PURGEABLE);
        Db.exec("UPDATE cache_entry SET deleted_at = " + THIS_HOUR + " WHERE cache_key LIKE 'now-%'");
        Db.exec("UPDATE cache_entry SET deleted_at = date_trunc('hour', now()) - interval '5 hours' + interval '59 minutes'"
                + " WHERE cache_key LIKE 'five-%'");
        Db.exec("UPDATE cache_entry SET deleted_at = date_trunc('hour', now()) - interval '100 hours' WHERE cache_key LIKE 'old-%'");

        JsonPath history = given().get("/admin/deletions").then().statusCode(200).body("hours", hasSize(48)).extract()
                .jsonPath();
        Instant now = Instant.parse(history.getString("now"));
        Instant thisHour = now.truncatedTo(ChronoUnit.HOURS);
        List<Map<String, Object>> hours = history.getList("hours");
        for (int i = 0; i < hours.size(); i++) {
            Instant start = thisHour.minus(47 - i, ChronoUnit.HOURS);
            assertEquals(start, Instant.parse((String) hours.get(i).get("start")), "hour " + i);
            long expected = i == 47 ? 3 : i == 42 ? 2 : 0;
            assertEquals(expected, ((Number) hours.get(i).get("deleted")).longValue(), "deletions in the hour from " + start);
        }
        Duration grace = Duration.parse(history.getString("gracePeriod"));
        assertEquals(now.minus(grace), Instant.parse(history.getString("graceStart")));

        // A week reaches the old deletions, 100 hours back; the live entries are never counted.
        JsonPath week = given().queryParam("hours", 168).get("/admin/deletions").then().statusCode(200)
                .body("hours", hasSize(168)).extract().jsonPath();
        assertEquals(4, week.getLong("hours[67].deleted"));
        assertEquals(9, week.<Integer> getList("hours.deleted").stream().mapToLong(Integer::longValue).sum());
        given().queryParam("hours", 1).get("/admin/deletions").then().statusCode(200)
                .body("hours", hasSize(1)).body("hours[0].deleted", equalTo(3));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "169", "-1", "1.5", "many", "2147483648" })
    void aSpanOutOfRangeIsRefusedNamingHours(String hours) {
        given().queryParam("hours", hours).get("/admin/deletions").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("hours"));
    }
}
