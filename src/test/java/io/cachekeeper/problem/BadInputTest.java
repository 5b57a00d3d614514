package io.cachekeeper.problem;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Malformed and hostile requests: each gets the right 4xx as problem+json naming the problem, and
 * the table is byte-for-byte what it was before.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BadInputTest {

    private static final String EXISTING = "7d1c5a0e-3b7e-4c1a-9a57-1f0b8c6d2e11";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The If-Match header of each case that names one. */
    private static final Map<String, String> IF_MATCH = Map.of(
            "malformed If-Match", "3", // an entity tag must be quoted
            "empty If-Match", "",
            "unclosed If-Match", "\"3",
            "two If-Match tags without a comma", "\"1\" \"2\"",
            "If-Match tag with a space inside", "\"1 2\"");

    @BeforeEach
    void seed() {
        Db.clear();
        Map<String, Object> body = Entries.body("existing");
        body.put("id", EXISTING);
        Entries.create(body);
    }

    /** A valid create body with one change at a dotted path; a null value removes the field. */
    private static String with(String path, Object value) {
        Map<String, Object> body = deepCopy(Entries.body("k"));
        String[] parts = path.split("\\.");
        Map<String, Object> target = body;
        for (int i = 0; i < parts.length - 1; i++) {
            target = castMap(target.get(parts[i]));
        }
        if (value == null) {
            target.remove(parts[parts.length - 1]);
        } else {
            target.put(parts[parts.length - 1], value);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> in) {
        Map<String, Object> out = new HashMap<>();
        in.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
        return out;
    }

    private static Arguments post(String name, String body, int status, String field) {
        return Arguments.of(name, "POST", "/entries", "application/json", (Supplier<String>) () -> body, status, field);
    }

    private static Arguments call(String name, String method, String path, int status, String field) {
        return Arguments.of(name, method, path, "application/json", (Supplier<String>) () -> null, status, field);
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        String valid = with("metadata", Map.of());
        // ids that are not UUIDs
        cases.add(call("get malformed id", "GET", "/entries/not-a-uuid", 400, "id"));
        cases.add(call("delete malformed id", "DELETE", "/entries/123", 400, "id"));
        cases.add(call("restore malformed id", "POST", "/entries/zzz/restore", 400, "id"));
        cases.add(call("refresh malformed id", "POST", "/entries/1-2-3-4-5/refresh", 400, "id"));
        cases.add(Arguments.of("put malformed id", "PUT", "/entries/nope", "application/json",
                (Supplier<String>) () -> valid, 400, "id"));
        cases.add(post("body id not a UUID", with("id", "abc"), 400, "id"));
        // malformed JSON and wrong shapes
        cases.add(post("malformed JSON", "{\"cacheKey\": ", 400, null));
        cases.add(post("empty body", "", 400, "body"));
        cases.add(post("top-level array", "[]", 400, null));
        cases.add(post("unknown field", with("surprise", 1), 400, "surprise"));
        cases.add(post("unknown nested field", with("request.bar", "x"), 400, "request.bar"));
        cases.add(post("cacheKey is an object", with("cacheKey", Map.of("a", 1)), 400, "cacheKey"));
        cases.add(post("metadata is an array", with("metadata", List.of(1, 2)), 400, "metadata"));
        cases.add(post("header value not an array", with("request.headers", Map.of("accept", "text/html")), 400,
                "request.headers.accept"));
        cases.add(post("headers is an array", with("response.headers", List.of("a")), 400, "response.headers"));
        // missing required fields
        cases.add(post("missing cacheKey", with("cacheKey", null), 400, "cacheKey"));
        cases.add(post("blank cacheKey", with("cacheKey", "  "), 400, "cacheKey"));
        cases.add(post("missing request", with("request", null), 400, "request"));
        cases.add(post("missing response", with("response", null), 400, "response"));
        cases.add(post("missing request.method", with("request.method", null), 400, "request.method"));
        cases.add(post("missing request.url", with("request.url", null), 400, "request.url"));
        cases.add(post("missing response.status", with("response.status", null), 400, "response.status"));
        // out-of-range and wrongly typed values
        cases.add(post("status 99", with("response.status", 99), 400, "response.status"));
        cases.add(post("status 600", with("response.status", 600), 400, "response.status"));
        cases.add(post("status not a number", with("response.status", "OK"), 400, "response.status"));
        cases.add(post("negative TTL", with("ttlSeconds", -1), 400, "ttlSeconds"));
        cases.add(post("absurd TTL", with("ttlSeconds", 1_000_000_000_000L), 400, "ttlSeconds"));
        cases.add(post("TTL not a number", with("ttlSeconds", "ten"), 400, "ttlSeconds"));
        cases.add(post("invalid base64 body", with("response.body", "!!not base64!!"), 400, "response.body"));
        // hostile strings
        cases.add(post("NUL in cacheKey", with("cacheKey", "a\u0000b"), 400, "cacheKey"));
        cases.add(post("NUL in a header value", with("request.headers", Map.of("x", List.of("\u0000"))), 400,
                "request.headers.x[0]"));
        cases.add(post("huge cacheKey", with("cacheKey", "k".repeat(9000)), 400, "cacheKey"));
        // JSON escapes that are not Unicode text: stored, they would turn into "?" and merge two keys
        String marked = with("cacheKey", "KEY").replace("KEY", "%s");
        cases.add(post("lone high surrogate in cacheKey", marked.formatted("a\\ud800b"), 400, "cacheKey"));
        cases.add(post("lone low surrogate in cacheKey", marked.formatted("\\udc00"), 400, "cacheKey"));
        cases.add(post("lone surrogate in a header value",
                with("request.headers", Map.of("x", List.of("V"))).replace("\"V\"", "\"\\ud83d\""), 400,
                "request.headers.x[0]"));
        cases.add(post("lone surrogate in metadata", with("metadata", Map.of("note", "M")).replace("\"M\"", "\"\\udfff\""),
                400, "metadata.note"));
        // a member named twice: refused, not "the last one wins"
        cases.add(post("duplicate member", valid.replaceFirst("\\{", "{\"cacheKey\":\"first\","), 400, "cacheKey"));
        // conflicts and limits
        cases.add(post("duplicate id", with("id", EXISTING), 409, null));
        cases.add(Arguments.of("body over max-body-size", "POST", "/entries", "application/json",
                (Supplier<String>) () -> with("response.body",
                        Base64.getEncoder().encodeToString(new byte[10 * 1024 * 1024 + 1])),
                413, "response.body"));
        cases.add(Arguments.of("wrong content type", "POST", "/entries", "text/plain",
                (Supplier<String>) () -> valid, 415, null));
        // query parameters
        cases.add(call("empty key", "GET", "/entries?key=", 400, "key"));
        cases.add(call("delete without key", "DELETE", "/entries", 400, "key"));
        cases.add(call("includeExpired not boolean", "GET", "/entries?key=k&includeExpired=1;DROP", 400, "includeExpired"));
        cases.add(call("limit zero", "GET", "/entries?key=k&limit=0", 400, "limit"));
        cases.add(call("limit over 1000", "GET", "/entries?key=k&limit=1001", 400, "limit"));
        cases.add(call("limit not a number", "GET", "/entries?key=k&limit=ten", 400, "limit"));
        cases.add(call("includeBody not boolean", "GET", "/entries?key=k&includeBody=yes", 400, "includeBody"));
        cases.add(call("cursor not ours", "GET", "/entries?key=k&after=garbage!", 400, "after"));
        cases.add(call("dryRun not boolean", "POST", "/admin/cleanup?dryRun=maybe", 400, "dryRun"));
        cases.add(call("empty urlPrefix", "DELETE", "/entries?urlPrefix=", 400, "urlPrefix"));
        cases.add(call("urlPrefix over 8192", "DELETE", "/entries?urlPrefix=" + "u".repeat(8193), 400, "urlPrefix"));
        cases.add(call("key and urlPrefix", "DELETE", "/entries?key=k&urlPrefix=https://", 400, "urlPrefix"));
        cases.add(Arguments.of("malformed If-Match", "DELETE", "/entries/" + EXISTING, "application/json",
                (Supplier<String>) () -> null, 400, "If-Match"));
        cases.add(Arguments.of("empty If-Match", "DELETE", "/entries/" + EXISTING, "application/json",
                (Supplier<String>) () -> null, 400, "If-Match"));
        cases.add(Arguments.of("unclosed If-Match", "DELETE", "/entries/" + EXISTING, "application/json",
                (Supplier<String>) () -> null, 400, "If-Match"));
        cases.add(Arguments.of("two If-Match tags without a comma", "DELETE", "/entries/" + EXISTING, "application/json",
                (Supplier<String>) () -> null, 400, "If-Match"));
        cases.add(Arguments.of("If-Match tag with a space inside", "DELETE", "/entries/" + EXISTING, "application/json",
                (Supplier<String>) () -> null, 400, "If-Match"));
        // JSON read as JSON: no coercion of one type into another (problem/StrictJson)
        cases.add(post("TTL as a string of digits", with("ttlSeconds", "60"), 400, "ttlSeconds"));
        cases.add(post("TTL with a fraction", with("ttlSeconds", 60.5), 400, "ttlSeconds"));
        cases.add(post("TTL with a fraction in an exponent", with("ttlSeconds", "E").replace("\"E\"", "1.55e1"), 400,
                "ttlSeconds"));
        cases.add(post("status as a string of digits", with("response.status", "200"), 400, "response.status"));
        cases.add(post("status 200.5", with("response.status", 200.5), 400, "response.status"));
        cases.add(post("status a boolean", with("response.status", true), 400, "response.status"));
        cases.add(post("cacheKey a number", with("cacheKey", 5), 400, "cacheKey"));
        cases.add(post("cacheKey a boolean", with("cacheKey", true), 400, "cacheKey"));
        cases.add(post("method a number", with("request.method", 7), 400, "request.method"));
        cases.add(post("a header value a number", with("request.headers", Map.of("x", List.of(1))), 400,
                "request.headers.x[0]"));
        cases.add(post("a tag a number", with("tags", List.of(42)), 400, "tags[0]"));
        cases.add(post("neverExpires a string", with("neverExpires", "true"), 400, "neverExpires"));
        cases.add(post("neverExpires a number", with("neverExpires", 1), 400, "neverExpires"));
        cases.add(post("bodyId empty", with("response.bodyId", ""), 400, "response.bodyId"));
        cases.add(post("cacheKey null", with("cacheKey", "N").replace("\"N\"", "null"), 400, "cacheKey"));
        // routes and methods
        cases.add(call("unknown route", "GET", "/nothing/here", 404, null));
        cases.add(call("method not allowed", "PATCH", "/entries/" + EXISTING, 405, null));
        return cases.stream();
    }

    /** JSON Schema 2020-12, the document's dialect: a number without a fraction is an integer however written. */
    @Test
    void anIntegerWrittenWithAZeroFractionOrAnExponentIsThatInteger() {
        String body = with("ttlSeconds", "T").replace("\"T\"", "1e3").replace("\"status\":200", "\"status\":200.0");
        given().contentType("application/json").body(body).post("/entries").then().statusCode(201)
                .body("ttlSeconds", equalTo(1000)).body("response.status", equalTo(200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedAndChangesNothing(String name, String method, String path, String contentType,
            Supplier<String> body, int status, String field) {
        String before = snapshot();

        RequestSpecification request = given().contentType(contentType);
        if (name.contains("If-Match")) {
            request = request.header("If-Match", IF_MATCH.get(name));
        }
        String payload = body.get();
        if (payload != null) {
            request = request.body(payload);
        }
        Response response = request.request(method, path);

        response.then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", notNullValue());
        if (field != null) {
            response.then().body("field", equalTo(field)).body("detail", containsString(field));
        }
        assertEquals(before, snapshot(), "the table changed");
    }

    private static String snapshot() {
        return Db.tableChecksum();
    }
}
