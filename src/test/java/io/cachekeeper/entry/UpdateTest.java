package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Contract (docs/contract.md): {@code PUT /entries/{id}} replaces request, response, metadata, cacheKey; 404; 409 if
 * soft-deleted.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UpdateTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    private static Map<String, Object> replacement() {
        return Map.of(
                "cacheKey", "GET https://example.com/b",
                "request", Map.of("method", "GET", "url", "https://example.com/b"),
                "response", Map.of("status", 404, "headers", Map.of("x-a", List.of("1", "2")),
                        "body", Base64.getEncoder().encodeToString(new byte[] { 0, 1, 2, (byte) 255 })),
                "metadata", Map.of("note", "replaced"));
    }

    @Test
    void replacesTheStoredParts() {
        String id = Entries.create("GET https://example.com/a");
        given().contentType(ContentType.JSON).body(replacement()).put("/entries/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("cacheKey", equalTo("GET https://example.com/b"))
                .body("response.status", equalTo(404))
                .body("response.headers.x-a", equalTo(List.of("1", "2")))
                .body("response.body", equalTo("AAEC/w=="))
                .body("metadata.note", equalTo("replaced"))
                .body("metadata.hits", nullValue())
                .body("state", equalTo("live"));
        // the new key finds it, the old one does not
        given().get("/entries?key=GET https://example.com/b").then().body("$", hasSize(1));
        given().get("/entries?key=GET https://example.com/a").then().body("$", hasSize(0));
        Entries.get(id).then().body("response.body", equalTo("AAEC/w=="));
    }

    @Test
    void unknownIdIs404() {
        given().contentType(ContentType.JSON).body(replacement()).put("/entries/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void softDeletedIs409AndUnchanged() {
        String id = Entries.create("GET https://example.com/a");
        Entries.delete(id);
        given().contentType(ContentType.JSON).body(replacement()).put("/entries/" + id)
                .then().statusCode(409).contentType("application/problem+json");
        Entries.get(id).then().body("cacheKey", equalTo("GET https://example.com/a"));
    }

    @Test
    void idInTheBodyMustMatchThePath() {
        String id = Entries.create("GET https://example.com/a");
        Map<String, Object> body = new java.util.HashMap<>(replacement());
        body.put("id", UUID.randomUUID().toString());
        given().contentType(ContentType.JSON).body(body).put("/entries/" + id)
                .then().statusCode(400).body("field", equalTo("id"));
    }
}
