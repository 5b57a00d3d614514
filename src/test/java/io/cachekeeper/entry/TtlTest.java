package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Contract (docs/contract.md): TTL from the request; 0 expires at once; refresh restarts it; expired entries are purged. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TtlTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    private static String createWithTtl(String key, long ttl) {
        Map<String, Object> body = Entries.body(key);
        body.put("ttlSeconds", ttl);
        return Entries.create(body);
    }

    @Test
    void expiresAtIsCreatedAtPlusTtl() {
        String id = createWithTtl("t", 3600);
        JsonPath entry = Entries.get(id).then().statusCode(200)
                .body("ttlSeconds", equalTo(3600))
                .body("state", equalTo("live"))
                .extract().jsonPath();
        Instant created = Instant.parse(entry.getString("createdAt"));
        Instant expires = Instant.parse(entry.getString("expiresAt"));
        assertEquals(Duration.ofHours(1), Duration.between(created, expires));
        // with stale-retention 0s, purgeAfter is the expiry itself
        assertEquals(expires, Instant.parse(entry.getString("purgeAfter")));
    }

    @Test
    void ttlZeroExpiresAtOnce() {
        String id = createWithTtl("t0", 0);
        Entries.get(id).then().statusCode(200).body("state", equalTo("expired"));
        given().get("/entries?key=t0").then().body("$", hasSize(0));
        given().get("/entries?key=t0&includeExpired=true").then().body("$", hasSize(1));
    }

    @Test
    void expiredEntriesArePurgedByAPass() {
        String expired = createWithTtl("tp", 0);
        String live = createWithTtl("tp", 3600);
        Entries.cleanup().then().statusCode(200).body("purgedExpired", equalTo(1)).body("purgedDeleted", equalTo(0));
        Entries.get(expired).then().statusCode(404);
        Entries.get(live).then().statusCode(200);
    }

    @Test
    void refreshRestartsTheTtlFromNow() {
        String id = createWithTtl("tr", 60);
        Entries.backdateExpiry(id, 120);
        Entries.get(id).then().body("state", equalTo("expired"));

        JsonPath refreshed = given().post("/entries/" + id + "/refresh").then().statusCode(200)
                .body("state", equalTo("live"))
                .extract().jsonPath();
        Instant expires = Instant.parse(refreshed.getString("expiresAt"));
        Instant dbNow = Instant
                .parse(Db.queryString("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        long remaining = Duration.between(dbNow, expires).toSeconds();
        assertTrue(remaining > 50 && remaining <= 60, "expires in " + remaining + "s after refresh");
    }

    @Test
    void refreshOfADeletedEntryIs409AndOfAnUnknownOne404() {
        String id = createWithTtl("tr", 60);
        Entries.delete(id);
        given().post("/entries/" + id + "/refresh").then().statusCode(409).contentType("application/problem+json");
        given().post("/entries/" + UUID.randomUUID() + "/refresh").then().statusCode(404);
    }

    @Test
    void noTtlMeansNeverExpires() {
        String id = Entries.create("forever");
        given().post("/entries/" + id + "/refresh").then().statusCode(200)
                .body("expiresAt", equalTo(null)).body("state", equalTo("live"));
    }
}
