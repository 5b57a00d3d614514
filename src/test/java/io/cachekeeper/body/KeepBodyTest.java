package io.cachekeeper.body;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * docs/api.md, "Keeping the body": a replace with {@code response.keepBody} changes headers and metadata and keeps
 * the stored body, in the row or streamed, so that a client revalidating a large entry (a 304) sends no bytes.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeepBodyTest {

    private static final String KEY = "GET https://example.com/video";

    @BeforeEach
    void clean() {
        Db.clear();
    }

    /** The replace a revalidation sends: new response headers and metadata, the body kept. */
    private static Map<String, Object> revalidated(String key) {
        Map<String, Object> body = Entries.body(key);
        body.put("response", Map.of("status", 200, "headers", Map.of("date", List.of("Mon, 07 Dec 2026 10:00:00 GMT")),
                "keepBody", true));
        body.put("metadata", Map.of("revalidated", 1));
        return body;
    }

    @Test
    void aBodyInTheRowIsKept() {
        String id = Entries.create(KEY);
        Entries.put(id, revalidated(KEY)).then().statusCode(200)
                .body("version", equalTo(2))
                .body("response.headers.date", equalTo(List.of("Mon, 07 Dec 2026 10:00:00 GMT")))
                .body("response.body", equalTo("PHA+aGVsbG88L3A+"))
                .body("metadata.revalidated", equalTo(1));
        Entries.get(id).then().body("response.body", equalTo("PHA+aGVsbG88L3A+"));
    }

    @Test
    void aStreamedBodyIsKeptAndNothingIsLetGo() {
        byte[] bytes = new byte[700_000];
        new Random(7).nextBytes(bytes);
        String id = Entries.create(Entries.streamed(KEY, Entries.upload(KEY, bytes)));
        Entries.put(id, revalidated(KEY)).then().statusCode(200)
                .body("response.bodySize", equalTo(bytes.length))
                .body("response.body", nullValue());
        byte[] read = given().accept("application/octet-stream").get("/entries/" + id + "/body").then().statusCode(200)
                .extract().asByteArray();
        assertArrayEquals(bytes, read);
        // The replace took no upload and let none go: no body waits for the purge.
        given().get("/admin/stats").then().body("streamed.bodies", equalTo(1)).body("streamed.unheldBodies", equalTo(0));
    }

    @Test
    void theTtlMayRestartWhileTheBodyIsKept() {
        String id = Entries.create(KEY);
        Map<String, Object> body = revalidated(KEY);
        body.put("ttlSeconds", 120);
        Entries.put(id, body).then().statusCode(200).body("ttlSeconds", equalTo(120))
                .body("response.body", equalTo("PHA+aGVsbG88L3A+"));
    }

    @Test
    void keepingTheBodyIsConditionalLikeAnyReplace() {
        String id = Entries.create(KEY);
        given().contentType(ContentType.JSON).header("If-Match", "\"7\"").body(revalidated(KEY)).put("/entries/" + id)
                .then().statusCode(412);
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body(revalidated(KEY)).put("/entries/" + id)
                .then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void aBodySentBesideKeepBodyIsRefusedAndChangesNothing() {
        String id = Entries.create(KEY);
        Map<String, Object> body = revalidated(KEY);
        body.put("response", Map.of("status", 200, "keepBody", true, "body", "AAEC"));
        Entries.put(id, body).then().statusCode(400).body("field", equalTo("response.keepBody"));
        Entries.get(id).then().body("version", equalTo(1));
    }

    @Test
    void aNewEntryHasNoBodyToKeep() {
        Entries.post(revalidated(KEY)).then().statusCode(400).body("field", equalTo("response.keepBody"));
        given().get("/admin/stats").then().body("total", equalTo(0));
    }

    @Test
    void theBodyStaysUnderItsKey() {
        String id = Entries.create(KEY);
        Entries.put(id, revalidated("GET https://example.com/elsewhere")).then().statusCode(400)
                .body("field", equalTo("cacheKey"));
        Entries.get(id).then().body("cacheKey", equalTo(KEY)).body("version", equalTo(1));
    }

    @Test
    void aDeletedEntryIsStill409() {
        String id = Entries.create(KEY);
        Entries.delete(id);
        Entries.put(id, revalidated(KEY)).then().statusCode(409);
        Map<String, Object> moved = new HashMap<>(revalidated("GET https://example.com/elsewhere"));
        Entries.put(id, moved).then().statusCode(409);
    }
}
