package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Times;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Contract (docs/contract.md): with {@code cachekeeper.max-entries} / {@code max-total-size} set, a pass evicts the oldest
 * entries that are not inside a grace period, in batches, until the store is under both caps.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(SizeCapTest.Caps.class)
class SizeCapTest {

    public static class Caps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.max-entries", "100", "cachekeeper.max-total-size", "15000",
                    "cachekeeper.cleanup.batch-size", "20");
        }
    }

    @BeforeEach
    void clear() {
        Db.clear();
    }

    /** {@code n} entries with {@code bytes}-byte bodies, entry i created i minutes after the first. */
    private static void seed(String prefix, int n, int bytes, String deletedAt) {
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body,"
                + " created_at, deleted_at) SELECT " + Db.routedId("'" + prefix + "' || lpad(i::text, 4, '0')")
                + ", cache_route('" + prefix + "' || lpad(i::text, 4, '0')), '" + prefix + "' || lpad(i::text, 4, '0'), 'GET',"
                + " 'https://example.com/', 200, convert_to(repeat('x', " + bytes + "), 'UTF8'),"
                + " timestamptz '2026-01-01' + i * interval '1 minute', " + deletedAt
                + " FROM generate_series(1, " + n + ") AS i");
    }

    @Test
    void overTheEntryCapTheOldestUndeletedEntriesGoInBatches() {
        seed("a-", 130, 100, "NULL");
        seed("d-", 10, 100, "now()"); // inside their grace period, and older than every a- entry
        Db.exec("UPDATE cache_entry SET created_at = " + Times.secondsAfter("created_at", "-31536000")
                + " WHERE cache_key LIKE 'd-%'");
        double evictedBefore = Metrics.value("cachekeeper_cleanup_purged_total{reason=\"evicted\"}");

        Entries.cleanup().then().statusCode(200)
                .body("purgedEvicted", equalTo(40))
                .body("purged", equalTo(40))
                .body("completed", equalTo(true));

        assertEquals(100, Db.count("true"));
        assertEquals(10, Db.count("cache_key LIKE 'd-%'"), "entries inside a grace period are never evicted");
        assertEquals(0, Db.count("cache_key LIKE 'a-%' AND cache_key <= 'a-0040'"), "the 40 oldest went");
        assertEquals(evictedBefore + 40, Metrics.value("cachekeeper_cleanup_purged_total{reason=\"evicted\"}"));
        assertTrue(Metrics.value("cachekeeper_cleanup_batch_rows_max{path=\"evict\"}") <= 20, "batches of at most 20");

        Entries.cleanup().then().statusCode(200).body("purgedEvicted", equalTo(0));
        var stats = given().get("/admin/stats").then().statusCode(200)
                .body("caps.maxEntries", equalTo(100))
                .body("caps.maxTotalSize", equalTo(15000))
                .extract().jsonPath();
        assertEquals(1.0, stats.getDouble("caps.entriesFull"), 1e-6);
        assertEquals(10000 / 15000.0, stats.getDouble("caps.totalSizeFull"), 1e-6);
    }

    @Test
    void overTheSizeCapJustEnoughOfTheOldestGo() {
        seed("b-", 20, 1000, "NULL"); // 20,000 bytes against a 15,000-byte cap: the 5 oldest must go

        Entries.cleanup().then().statusCode(200).body("purgedEvicted", equalTo(5));

        assertEquals(15, Db.count("true"));
        assertEquals(0, Db.count("cache_key <= 'b-0005'"));
        assertEquals(15000, Db.queryLong("SELECT sum(octet_length(response_body)) FROM cache_entry"));
    }

    @Test
    void aStreamedBodyCountsTowardTheSizeCapAndGoesWithItsEvictedEntry() {
        String key = "GET https://example.com/streamed-and-evicted";
        String body = Entries.upload(key, new byte[12_000]);
        String oldest = Entries.create(Entries.streamed(key, body));
        Db.exec("UPDATE cache_entry SET created_at = timestamptz '2025-01-01'");
        seed("s-", 5, 1000, "NULL"); // 17,000 bytes in all against 15,000: the streamed entry, the oldest, goes

        Entries.cleanup().then().statusCode(200).body("purgedEvicted", equalTo(1));

        assertEquals(0, Db.count("id = '" + oldest + "'"));
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_body"), "its body went in the same batch");
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_body_chunk"));
        assertEquals(5, Db.count("true"));
    }

    @Test
    void underBothCapsNothingIsEvicted() {
        seed("c-", 50, 100, "NULL");
        Entries.cleanup().then().statusCode(200).body("purgedEvicted", equalTo(0));
        assertEquals(50, Db.count("true"));
    }
}
