package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.Metrics;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Invalidation by tag: an entry's tags (given, or taken from Surrogate-Key / Cache-Tag), a DELETE that
 * soft-deletes exactly the live entries carrying any of the tags, in batches, restorable through the
 * recycle bin; bad tags are a 400 that changes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TagInvalidationTest {

    @BeforeEach
    void clear() {
        Db.clear();
    }

    private static Map<String, Object> tagged(String key, List<String> tags) {
        Map<String, Object> body = Entries.body(key);
        if (tags != null) {
            body.put("tags", tags);
        }
        return body;
    }

    private static Map<String, Object> withResponseHeaders(String key, Map<String, List<String>> headers) {
        Map<String, Object> body = Entries.body(key);
        body.put("response", Map.of("status", 200, "headers", headers, "body", "aGk="));
        return body;
    }

    @Test
    void tagsAreStoredDistinctInOrderAndShownEverywhere() {
        String id = Entries.create(tagged("k", List.of("product-42", "category-7", "product-42")));
        given().get("/entries/" + id).then().statusCode(200).body("tags", equalTo(List.of("product-42", "category-7")));
        given().get("/entries?key=k").then().body("[0].tags", equalTo(List.of("product-42", "category-7")));
        given().get("/admin/entries?tag=category-7").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo(id));
        String untagged = Entries.create("plain");
        given().get("/entries/" + untagged).then().body("tags", equalTo(List.of()));
        assertEquals(1, Db.count("tags IS NULL"), "an entry without tags stores no array");
    }

    @Test
    void withoutTagsTheResponseHeadersNameThem() {
        String id = Entries.create(withResponseHeaders("h", Map.of("Surrogate-Key", List.of("product-42  category-7"),
                "cache-tag", List.of("shop,product-42 ,page-home"))));
        List<String> tags = given().get("/entries/" + id).then().extract().path("tags");
        assertEquals(List.of("category-7", "page-home", "product-42", "shop"), tags.stream().sorted().toList());
        // An explicit empty list means none, whatever the headers say.
        Map<String, Object> none = withResponseHeaders("h2", Map.of("Surrogate-Key", List.of("product-42")));
        none.put("tags", List.of());
        String noTags = Entries.create(none);
        given().get("/entries/" + noTags).then().body("tags", equalTo(List.of()));
    }

    @Test
    void aReplaceSetsTheTagsAgain() {
        String id = Entries.create(tagged("r", List.of("old")));
        given().contentType(ContentType.JSON).body(tagged("r", List.of("new"))).put("/entries/" + id).then()
                .statusCode(200).body("tags", equalTo(List.of("new")));
        given().contentType(ContentType.JSON).body(withResponseHeaders("r", Map.of("Cache-Tag", List.of("from-header"))))
                .put("/entries/" + id).then().statusCode(200).body("tags", equalTo(List.of("from-header")));
        assertEquals(0, deleteTag("old"));
        assertEquals(1, deleteTag("from-header"));
    }

    @Test
    void aTagInvalidationDeletesExactlyTheLiveEntriesCarryingAnyOfTheTags() {
        String a = Entries.create(tagged("a", List.of("product-42", "shop")));
        String b = Entries.create(tagged("b", List.of("category-7")));
        String c = Entries.create(tagged("c", List.of("shop")));
        String upper = Entries.create(tagged("d", List.of("Product-42")));
        String deleted = Entries.create(tagged("e", List.of("product-42")));
        Entries.delete(deleted).then().statusCode(200);
        Entries.backdateDeletion(deleted, 60);
        String deletedAt = Db.queryString("SELECT deleted_at::text FROM cache_entry WHERE id = '" + deleted + "'");
        String expired = Entries.create(tagged("f", List.of("product-42")));
        Entries.backdateExpiry(expired, 10);
        Db.exec("UPDATE cache_entry SET expires_at = now() - interval '1 second' WHERE id = '" + expired + "'");
        double before = Metrics.series("cachekeeper_invalidated_entries_total{kind=\"tag\"}");

        given().delete("/entries?tag=product-42&tag=category-7").then().statusCode(200).body("deleted", equalTo(2));

        assertEquals("deleted", state(a));
        assertEquals("deleted", state(b));
        assertEquals("live", state(c), "carries only other tags");
        assertEquals("live", state(upper), "tags match case-sensitively");
        assertEquals("expired", state(expired), "only live entries are invalidated, as by key");
        assertEquals(deletedAt, Db.queryString("SELECT deleted_at::text FROM cache_entry WHERE id = '" + deleted + "'"),
                "an entry deleted before keeps its first deletion");
        assertEquals(before + 2, Metrics.series("cachekeeper_invalidated_entries_total{kind=\"tag\"}"));
        assertEquals(0, deleteTag("product-42"), "idempotent: a retry deletes nothing more");

        // Undo: the recycle bin lists them by tag and restores them.
        given().get("/admin/entries?tag=product-42&state=deleted").then().statusCode(200).body("size()", equalTo(2));
        given().post("/admin/entries/restore?tag=product-42&dryRun=true").then().statusCode(200)
                .body("restored", equalTo(2));
        assertEquals("deleted", state(a), "a dry run restores nothing");
        given().post("/admin/entries/restore?tag=product-42&tag=category-7").then().statusCode(200)
                .body("restored", equalTo(3));
        assertEquals("live", state(a));
        assertEquals("live", state(b));
        assertEquals("live", state(deleted));
    }

    @Test
    void aTagOnManyEntriesIsInvalidatedInBatchesThatAddUp() {
        int n = 2500; // three batches of cachekeeper.invalidation.batch-size (1000)
        Db.seed(n, "many-", Seeded.LIVE);
        Db.exec("UPDATE cache_entry SET tags = ARRAY['bulk', 'n' || (id::text)]");
        Db.seed(100, "other-", Seeded.LIVE);
        given().delete("/entries?tag=bulk").then().statusCode(200).body("deleted", equalTo(n));
        assertEquals(n, Db.count("deleted_at IS NOT NULL"));
        assertEquals(100, Db.count("deleted_at IS NULL"));
        assertTrue(Db.queryLong("SELECT count(DISTINCT deleted_at) FROM cache_entry WHERE deleted_at IS NOT NULL") >= 3,
                "each batch is its own transaction, with its own now()");
    }

    @Test
    void entriesWrittenDuringAnInvalidationEndEitherDeletedOrLive() throws Exception {
        Db.seed(5000, "busy-", Seeded.LIVE);
        Db.exec("UPDATE cache_entry SET tags = ARRAY['busy']");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> written = new ArrayList<>();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; running.get() && i < 200; i++) {
                written.add(Entries.create(tagged("busy-new-" + i, List.of("busy"))));
            }
        });
        given().delete("/entries?tag=busy").then().statusCode(200);
        running.set(false);
        writer.get();
        assertEquals(0, Db.count("cache_key LIKE 'busy-%' AND cache_key NOT LIKE 'busy-new-%' AND deleted_at IS NULL"),
                "every entry tagged before the call is deleted");
        for (String id : written) {
            String state = state(id);
            assertTrue(state.equals("live") || state.equals("deleted"), id + " is " + state);
        }
        long writtenAfter = Db.count("cache_key LIKE 'busy-new-%' AND deleted_at IS NULL");
        assertEquals(writtenAfter, deleteTag("busy"), "a second call takes what was written after the first");
        assertEquals(0, Db.count("tags @> ARRAY['busy'] AND deleted_at IS NULL"));
    }

    @Test
    void badTagsAreA400ThatChangesNothing() {
        Entries.create(tagged("keep", List.of("keep")));
        String before = Db.tableChecksum();
        List<String> tooMany = IntStream.range(0, 65).mapToObj(i -> "t" + i).toList();
        Entries.post(tagged("x", tooMany)).then().statusCode(400).body("field", equalTo("tags"))
                .body("detail", containsString("at most 64"));
        Entries.post(tagged("x", List.of("ok", "x".repeat(257)))).then().statusCode(400).body("field", equalTo("tags[1]"));
        Entries.post(tagged("x", List.of(""))).then().statusCode(400).body("field", equalTo("tags[0]"));
        Entries.post(tagged("x", List.of("a\tb"))).then().statusCode(400).body("field", equalTo("tags[0]"))
                .body("detail", containsString("control"));
        Entries.post(tagged("x", java.util.Arrays.asList("a", null))).then().statusCode(400).body("field", equalTo("tags[1]"));
        String many = String.join(" ", tooMany);
        Entries.post(withResponseHeaders("x", Map.of("Surrogate-Key", List.of(many)))).then().statusCode(400)
                .body("field", equalTo("response.headers.Surrogate-Key"));
        given().delete("/entries?tag=" + "x".repeat(257)).then().statusCode(400).body("field", equalTo("tag"));
        given().delete("/entries?tag=keep&key=keep").then().statusCode(400).body("field", equalTo("tag"));
        given().delete("/entries?tag=").then().statusCode(400).body("field", equalTo("tag"));
        given().get("/admin/entries?tag=" + "y".repeat(300)).then().statusCode(400).body("field", equalTo("tag"));
        assertEquals(before, Db.tableChecksum());
    }

    private static long deleteTag(String tag) {
        return given().delete("/entries?tag=" + tag).then().statusCode(200).extract().<Number> path("deleted").longValue();
    }

    private static String state(String id) {
        return given().get("/entries/" + id).then().statusCode(200).extract().path("state");
    }
}
