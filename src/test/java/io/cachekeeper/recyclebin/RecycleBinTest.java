package io.cachekeeper.recyclebin;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.cachekeeper.support.Times;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Contract (docs/contract.md): the recycle bin lists entries across keys by state, key, URL prefix and
 * time, newest deletion first, paged by a keyset cursor, and restores what a wide delete took, in
 * batches, never the whole store by accident.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RecycleBinTest {

    @BeforeEach
    void clear() {
        Db.clear();
    }

    @Test
    void aWideDeleteIsUndoneByTheNarrowerPrefixAndTime() {
        List<String> v1 = new ArrayList<>();
        List<String> v2 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            v1.add(create("GET v1-" + i, "https://api.example.com/v1/items/" + i));
            v2.add(create("GET v2-" + i, "https://api.example.com/v2/items/" + i));
        }
        String unrelated = create("GET other", "https://other.example.com/x");
        Entries.delete(unrelated).then().statusCode(200);
        Db.exec("UPDATE cache_entry SET deleted_at = now() - interval '30 minutes' WHERE id = '" + unrelated + "'");
        Instant beforeMistake = Db.now();

        // The mistake: the wider prefix.
        given().delete("/entries?urlPrefix=https://api.example.com/").then().statusCode(200).body("deleted", equalTo(6));

        // What was deleted in the last minute, newest deletion first: the six, not the older deletion.
        Response recent = given().get("/admin/entries?state=deleted&deletedAfter=" + beforeMistake);
        recent.then().statusCode(200).body("$", hasSize(6)).body("state", everyItem(equalTo("deleted")))
                .body("response.body", everyItem(nullValue()));
        given().get("/admin/entries?state=deleted").then().body("$", hasSize(7)).body("[6].id", equalTo(unrelated));

        // Undo only the part that was meant to stay: the v1 prefix, deleted since the mistake.
        given().post("/admin/entries/restore?urlPrefix=https://api.example.com/v1/&deletedAfter=" + beforeMistake
                + "&dryRun=true").then().statusCode(200).body("restored", equalTo(3)).body("skipped", equalTo(0));
        assertEquals(7, Db.count("deleted_at IS NOT NULL"), "a dry run changes nothing");
        given().post("/admin/entries/restore?urlPrefix=https://api.example.com/v1/&deletedAfter=" + beforeMistake)
                .then().statusCode(200).body("restored", equalTo(3)).body("skipped", equalTo(0));
        for (String id : v1) {
            Entries.get(id).then().statusCode(200).body("state", equalTo("live")).body("version", equalTo(3));
        }
        for (String id : v2) {
            Entries.get(id).then().body("state", equalTo("deleted"));
        }
        assertTrue(Metrics.value("cachekeeper_recyclebin_restored_total") >= 3);

        // The rest is purged after its grace period, as any soft delete.
        Db.exec("UPDATE cache_entry SET deleted_at = now() - interval '2 hours' WHERE deleted_at IS NOT NULL");
        given().get("/admin/entries?state=purgeable").then().body("$", hasSize(4));
        given().post("/admin/entries/restore?key=GET v2-0").then().statusCode(200)
                .body("restored", equalTo(0)).body("skipped", equalTo(1));
        Entries.cleanup().then().statusCode(200).body("purgedDeleted", equalTo(4));
        for (String id : v1) {
            Entries.get(id).then().statusCode(200);
        }
        given().get("/admin/entries").then().body("$", hasSize(3));
    }

    @Test
    void pagingThroughDeletedEntriesReturnsEachOnceWhileDeletionsGoOn() {
        Db.seed(2500, "page-", Seeded.DELETED);
        // Deletion times spread over 50 minutes by the id's hash (Citus refuses random() in an UPDATE).
        Db.exec("UPDATE cache_entry SET deleted_at = " + Times.secondsAfter("now()", "-(abs(hashtext(id::text)) % 3000)"));
        Set<String> seen = new HashSet<>();
        String next = "/admin/entries?state=deleted&limit=1000";
        int pages = 0;
        Instant previous = null;
        while (next != null) {
            Response page = given().get(next);
            page.then().statusCode(200);
            List<Map<String, Object>> rows = page.jsonPath().getList("$");
            for (Map<String, Object> row : rows) {
                assertTrue(seen.add((String) row.get("id")), "listed twice: " + row.get("id"));
                Instant deletedAt = Instant.parse((String) row.get("deletedAt"));
                assertTrue(previous == null || !deletedAt.isAfter(previous), "newest deletion first");
                previous = deletedAt;
            }
            // Deletions keep happening: newer than every listed entry, so they do not shift the pages.
            Entries.delete(create("GET new-" + pages, "https://example.com/new")).then().statusCode(200);
            next = link(page);
            pages++;
        }
        assertEquals(2500, seen.size());
        assertEquals(3, pages);
    }

    @Test
    void aBulkRestoreTakesBatchesOfAtMostBatchSize() {
        // 100 batches and more: enough to show the bound, and quick enough for the test client's 30 s read
        // timeout on a slow machine (100,000 rows took 9 s alone and over 30 s in one CI run).
        Db.seed(20_000, "bulk-", Seeded.DELETED);
        given().post("/admin/entries/restore?deletedAfter=" + Instant.now().minusSeconds(3600)).then().log().ifValidationFails()
                .statusCode(200).body("restored", equalTo(20_000)).body("skipped", equalTo(0));
        assertEquals(0, Db.count("deleted_at IS NOT NULL"));
        // Each batch is a transaction of its own: the restored rows carry its start (updated_at = now(), on
        // Citus that of the batch's transaction on the shard's worker).
        assertTrue(Db.queryLong("SELECT max(n) FROM (SELECT count(*) n FROM cache_entry GROUP BY updated_at) t") <= 200,
                "a restore transaction took more than batch-size rows");
        assertTrue(Db.queryLong("SELECT count(DISTINCT updated_at) FROM cache_entry") >= 100);
    }

    @Test
    void aRestoreRacingAPurgePassLosesNothingAndPurgesNothingRestored() throws Exception {
        Db.seed(20_000, "race-", Seeded.DELETED);
        Db.seed(20_000, "gone-", Seeded.PURGEABLE);
        CompletableFuture<Response> pass = CompletableFuture.supplyAsync(() -> given().post("/admin/cleanup"));
        given().post("/admin/entries/restore?key=race-7").then().statusCode(200);
        given().post("/admin/entries/restore?deletedAfter=" + Instant.now().minusSeconds(3600)).then().statusCode(200);
        pass.get().then().statusCode(200).body("completed", equalTo(true));
        Entries.cleanup().then().statusCode(200);
        assertEquals(20_000, Db.count("cache_key LIKE 'race-%' AND deleted_at IS NULL"), "every restored entry is there, live");
        assertEquals(0, Db.count("cache_key LIKE 'gone-%'"), "the purgeable ones are purged");
    }

    @Test
    void bodiesComeOnlyWhenAskedFor() {
        String id = create("GET body", "https://example.com/body");
        given().get("/admin/entries?key=GET body").then().body("[0].response.body", nullValue());
        given().get("/admin/entries?key=GET body&includeBody=true").then().body("[0].id", equalTo(id))
                .body("[0].response.body", notNullValue());
    }

    @Test
    void badFiltersAreRejectedNamingTheParameter() {
        bad(given().get("/admin/entries?state=gone"), "state");
        bad(given().get("/admin/entries?deletedAfter=yesterday"), "deletedAfter");
        bad(given().get("/admin/entries?createdBefore=2026-13-01T00:00:00Z"), "createdBefore");
        bad(given().get("/admin/entries?sort=size"), "sort");
        bad(given().get("/admin/entries?state=live&sort=deletedAt"), "sort");
        bad(given().get("/admin/entries?limit=0"), "limit");
        bad(given().get("/admin/entries?after=garbage!"), "after");
        bad(given().get("/admin/entries?urlPrefix="), "urlPrefix");
        bad(given().post("/admin/entries/restore"), "key");
        bad(given().post("/admin/entries/restore?createdAfter=2026-11-01T00:00:00Z"), "key");
        bad(given().post("/admin/entries/restore?deletedAfter=soon"), "deletedAfter");
    }

    private static void bad(Response r, String field) {
        r.then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field))
                .body("detail", containsString(field));
    }

    private static String link(Response page) {
        String link = page.header("Link");
        return link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }

    private static String create(String key, String url) {
        Map<String, Object> body = Entries.body(key);
        body.put("request", Map.of("method", "GET", "url", url, "headers", Map.of()));
        return given().contentType(ContentType.JSON).body(body).post("/entries").then().statusCode(201)
                .extract().path("id");
    }
}
