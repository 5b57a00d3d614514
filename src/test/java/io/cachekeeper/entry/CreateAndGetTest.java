package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Contract (docs/contract.md): {@code POST /entries} stores an entry, {@code GET /entries/{id}} shows it in the contract's
 * shape.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CreateAndGetTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void storesAndReturnsTheEntryInTheSpecShape() {
        Map<String, Object> body = Entries.body("GET https://example.com/a");
        String location = Entries.post(body).then().statusCode(201)
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertEquals(id, UUID.fromString(id).toString());

        Entries.get(id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("cacheKey", equalTo("GET https://example.com/a"))
                .body("request.method", equalTo("GET"))
                .body("request.url", equalTo("https://example.com/a"))
                .body("request.headers.accept", equalTo(List.of("text/html")))
                .body("response.status", equalTo(200))
                .body("response.headers.content-type", equalTo(List.of("text/html")))
                .body("response.body", equalTo(Base64.getEncoder().encodeToString("<p>hello</p>".getBytes())))
                .body("metadata.hits", equalTo(0))
                .body("ttlSeconds", nullValue())
                .body("createdAt", notNullValue())
                .body("$", hasKey("expiresAt")).body("expiresAt", nullValue())
                .body("$", hasKey("deletedAt")).body("deletedAt", nullValue())
                .body("$", hasKey("purgeAfter")).body("purgeAfter", nullValue())
                .body("state", equalTo("live"));

        // The body is stored as bytea, byte for byte.
        assertEquals("<p>hello</p>", Db.queryString(
                "SELECT convert_from(response_body, 'UTF8') FROM cache_entry WHERE id = '" + id + "'"));
    }

    @Test
    void acceptsAClientSuppliedId() {
        String id = UUID.randomUUID().toString();
        Map<String, Object> body = Entries.body("k");
        body.put("id", id);
        Entries.post(body).then().statusCode(201)
                .header("Location", endsWith("/entries/" + id))
                .body("id", equalTo(id));
        Entries.get(id).then().statusCode(200).body("cacheKey", equalTo("k"));
    }

    @Test
    void emptyBodyAndNoHeadersAreFine() {
        String id = Entries.create(Map.of("cacheKey", "HEAD https://example.com/",
                "request", Map.of("method", "HEAD", "url", "https://example.com/"),
                "response", Map.of("status", 304)));
        Entries.get(id).then().statusCode(200)
                .body("response.body", equalTo(""))
                .body("response.headers", equalTo(Map.of()))
                .body("request.headers", equalTo(Map.of()))
                .body("metadata", equalTo(Map.of()));
    }

    @Test
    void unknownIdIs404() {
        given().get("/entries/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}
