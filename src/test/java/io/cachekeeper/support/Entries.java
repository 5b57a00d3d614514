package io.cachekeeper.support;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The entries API as a client sees it: request bodies and calls, for the tests. */
public final class Entries {

    private Entries() {
    }

    public static Map<String, Object> body(String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cacheKey", key);
        body.put("request", Map.of("method", "GET", "url", "https://example.com/a",
                "headers", Map.of("accept", List.of("text/html"))));
        body.put("response", Map.of("status", 200,
                "headers", Map.of("content-type", List.of("text/html")),
                "body", Base64.getEncoder().encodeToString("<p>hello</p>".getBytes())));
        body.put("metadata", Map.of("hits", 0));
        return body;
    }

    /** Uploads {@code bytes} as a streamed body under {@code key} ({@code POST /bodies}) and returns its id. */
    public static String upload(String key, byte[] bytes) {
        return given().contentType("application/octet-stream").body(bytes).queryParam("key", key).post("/bodies")
                .then().statusCode(201).body("size", equalTo(bytes.length))
                .body("cacheKey", equalTo(key)).extract().path("id");
    }

    /** {@link #body} whose response takes the uploaded body {@code bodyId} in place of a body in the JSON. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> streamed(String key, String bodyId) {
        Map<String, Object> entry = body(key);
        Map<String, Object> response = new HashMap<>((Map<String, Object>) entry.get("response"));
        response.remove("body");
        response.put("bodyId", bodyId);
        entry.put("response", response);
        return entry;
    }

    public static Response post(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/entries");
    }

    /** Creates an entry under {@code key} and returns its id. */
    public static String create(String key) {
        return post(body(key)).then().statusCode(201).extract().path("id");
    }

    public static String create(Map<String, Object> body) {
        return post(body).then().statusCode(201).extract().path("id");
    }

    /** Replaces entry {@code id} with {@code body}. */
    public static Response put(String id, Object body) {
        return given().contentType(ContentType.JSON).body(body).put("/entries/" + id);
    }

    public static Response get(String id) {
        return given().get("/entries/" + id);
    }

    public static Response delete(String id) {
        return given().delete("/entries/" + id);
    }

    public static Response restore(String id) {
        return given().post("/entries/" + id + "/restore");
    }

    public static Response cleanup() {
        return given().post("/admin/cleanup");
    }

    /** Moves the entry's deletion {@code seconds} into the past, as if time had passed. */
    public static void backdateDeletion(String id, long seconds) {
        Db.exec("UPDATE cache_entry SET deleted_at = " + Times.secondsAfter("deleted_at", "-" + seconds) + " WHERE id = '"
                + id + "'");
    }

    public static void backdateExpiry(String id, long seconds) {
        Db.exec("UPDATE cache_entry SET expires_at = " + Times.secondsAfter("expires_at", "-" + seconds) + " WHERE id = '"
                + id + "'");
    }
}
