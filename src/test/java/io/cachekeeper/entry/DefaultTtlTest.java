package io.cachekeeper.entry;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Contract (docs/contract.md): an entry stored without ttlSeconds gets {@code cachekeeper.default-ttl}; stale-retention delays
 * its purge.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(DefaultTtlTest.TenMinutes.class)
class DefaultTtlTest {

    public static class TenMinutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.default-ttl", "10m", "cachekeeper.cleanup.stale-retention", "1h");
        }
    }

    @Test
    void absentTtlTakesTheDefaultAndExplicitTtlWins() {
        Db.clear();
        JsonPath entry = Entries.post(Entries.body("d")).then().statusCode(201)
                .body("ttlSeconds", equalTo(600)).extract().jsonPath();
        assertEquals(Duration.ofMinutes(10), Duration.between(
                Instant.parse(entry.getString("createdAt")), Instant.parse(entry.getString("expiresAt"))));
        // purgeAfter = expiresAt + stale-retention
        assertEquals(Duration.ofMinutes(70), Duration.between(
                Instant.parse(entry.getString("createdAt")), Instant.parse(entry.getString("purgeAfter"))));

        Map<String, Object> explicit = Entries.body("d");
        explicit.put("ttlSeconds", 5);
        Entries.post(explicit).then().statusCode(201).body("ttlSeconds", equalTo(5));
    }

    @Test
    void anEntryMayNeverExpireWhateverTheDefault() {
        Db.clear();
        Map<String, Object> forever = Entries.body("n");
        forever.put("neverExpires", true);
        String id = Entries.post(forever).then().statusCode(201).body("ttlSeconds", nullValue())
                .body("expiresAt", nullValue()).extract().path("id");

        // A replace that says so ends a TTL; one that says nothing keeps the entry's.
        Map<String, Object> timed = Entries.body("t");
        timed.put("ttlSeconds", 30);
        String timedId = Entries.create(timed);
        Entries.put(timedId, forever(Entries.body("t"))).then().statusCode(200).body("ttlSeconds", nullValue())
                .body("expiresAt", nullValue());
        Entries.put(id, Entries.body("n")).then().statusCode(200).body("expiresAt", nullValue());

        Map<String, Object> both = forever(Entries.body("b"));
        both.put("ttlSeconds", 5);
        Entries.post(both).then().statusCode(400).body("field", equalTo("neverExpires"));
    }

    private static Map<String, Object> forever(Map<String, Object> body) {
        body.put("neverExpires", true);
        return body;
    }

    @Test
    void expiredEntriesStayUntilStaleRetentionIsOver() {
        Db.clear();
        Map<String, Object> body = Entries.body("sr");
        body.put("ttlSeconds", 0);
        String id = Entries.create(body);
        Entries.cleanup().then().body("purged", equalTo(0));
        Entries.get(id).then().statusCode(200).body("state", equalTo("expired"));

        Entries.backdateExpiry(id, 3600);
        Entries.cleanup().then().body("purgedExpired", equalTo(1));
        Entries.get(id).then().statusCode(404);
    }
}
