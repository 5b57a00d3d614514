package io.cachekeeper.problem;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.http.StrictQuery;
import io.cachekeeper.http.TextRules;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Every parameter of every operation of the OpenAPI document, sent malformed over a raw socket: a
 * control character, a NUL, empty, repeated, over-long, wrongly encoded; and a name the API does not
 * know. Each is a 400 problem+json naming the parameter, and the table is what it was: among the rows
 * are a deleted entry (a restore that ignored a bad {@code dryRun} would change it) and a purgeable one
 * (so would a cleanup pass). A parameter added to a resource is covered without touching this test.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class QueryParameterFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIVE = "0b6f1f0e-1c55-4f0e-8a7a-2f1d3c4b5a61";
    private static final String DELETED = "1c7a2e1f-2d66-4a1f-9b8b-3a2e4d5c6b72";
    private static final String PURGEABLE = "2d8b3f2a-3e77-4b2a-8c9c-4b3f5e6d7c83";

    /** The malformed forms of a parameter's value, by the fuzz class they stand for. */
    private static final Map<String, String> MALFORMED = new LinkedHashMap<>();
    static {
        MALFORMED.put("control character", "a%01b");
        MALFORMED.put("tab", "a%09b");
        MALFORMED.put("NUL", "%00");
        MALFORMED.put("NUL inside", "a%00b");
        MALFORMED.put("empty", "");
        MALFORMED.put("over-long", "a".repeat(TextRules.MAX_TEXT + 1));
        MALFORMED.put("not UTF-8 (Latin-1)", "caf%e9");
        MALFORMED.put("not UTF-8 (lone continuation byte)", "%80");
        MALFORMED.put("encoded surrogate", "%ed%a0%80");
        MALFORMED.put("raw byte above ASCII", "caf\u00e9");
    }

    /**
     * Targets Vert.x refuses before any handler of the service runs (it validates percent-escapes in the
     * request line): a 400 with an empty body, the documented exception (docs/api.md).
     */
    private static final Map<String, String> REFUSED_BY_VERTX = Map.of("bad percent-escape", "a%zz",
            "truncated percent-escape", "a%4");

    private JsonNode document;

    @BeforeEach
    void seed() throws IOException {
        Db.clear();
        for (String id : List.of(LIVE, DELETED, PURGEABLE)) {
            Map<String, Object> body = Entries.body("fuzzed");
            body.put("id", id);
            Entries.create(body);
        }
        Entries.delete(DELETED).then().statusCode(200);
        Entries.delete(PURGEABLE).then().statusCode(200);
        Entries.backdateDeletion(PURGEABLE, 3 * 24 * 3600);
        document = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    @Test
    void everyMalformedParameterOfEveryOperationIsA400ThatChangesNothing() throws IOException {
        String before = Db.tableChecksum();
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (Operation op : operations()) {
            for (Param p : op.params()) {
                Map<String, String> cases = new LinkedHashMap<>(MALFORMED);
                if (p.in().equals("query") && !p.array()) {
                    cases.put("repeated", validValue(p) + "&" + p.name() + "=" + validValue(p));
                }
                for (Map.Entry<String, String> fuzz : cases.entrySet()) {
                    if (p.in().equals("path") && (fuzz.getValue().isEmpty() || fuzz.getKey().equals("raw byte above ASCII"))) {
                        continue; // an empty segment is another route; a raw byte in a path is the router's (docs/api.md)
                    }
                    sent++;
                    RawHttp.Answer answer = RawHttp.send(RestAssured.port, op.method(), op.target(p, fuzz.getValue()));
                    String problem = check(answer, p.name());
                    if (problem != null) {
                        wrong.add(op.method() + " " + op.path() + " " + p.name() + " " + fuzz.getKey() + ": " + problem);
                    }
                }
                for (Map.Entry<String, String> fuzz : REFUSED_BY_VERTX.entrySet()) {
                    sent++;
                    RawHttp.Answer answer = RawHttp.send(RestAssured.port, op.method(), op.target(p, fuzz.getValue()));
                    if (answer.status() != 400) {
                        wrong.add(op.method() + " " + op.path() + " " + p.name() + " " + fuzz.getKey() + ": status "
                                + answer.status());
                    }
                }
            }
            sent++;
            RawHttp.Answer unknown = RawHttp.send(RestAssured.port, op.method(),
                    op.target(null, null) + sep(op) + "dryrun=true");
            String problem = check(unknown, "query");
            if (problem != null) {
                wrong.add(op.method() + " " + op.path() + " unknown parameter: " + problem);
            }
        }
        assertEquals(List.of(), wrong, "malformed parameters not refused as they should be");
        assertEquals(before, Db.tableChecksum(), "the table changed");
        assertTrue(sent > 100, "only " + sent + " requests: the OpenAPI document was not read");
        System.out.println("QueryParameterFuzzTest: " + sent + " malformed requests, all 400 problem+json");
    }

    @Test
    void theStrictQueryKnowsExactlyTheDocumentedParameters() {
        Set<String> names = new TreeSet<>();
        Set<String> repeatable = new TreeSet<>();
        for (Operation op : operations()) {
            for (Param p : op.params()) {
                if (p.in().equals("query")) {
                    names.add(p.name());
                    if (p.array()) {
                        repeatable.add(p.name());
                    }
                }
            }
        }
        assertEquals(names, new TreeSet<>(StrictQuery.NAMES));
        assertEquals(repeatable, new TreeSet<>(StrictQuery.REPEATABLE));
    }

    @Test
    void aWellFormedRequestOfEachOperationIsNotRefusedByTheStrictQuery() throws IOException {
        for (Operation op : operations()) {
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, op.method(), op.target(null, null));
            assertTrue(answer.status() != 400 || !answer.body().contains("\"query\""),
                    op.method() + " " + op.path() + ": " + answer.body());
        }
    }

    /** Null when the answer is the 400 problem+json naming {@code field}; else what is wrong with it. */
    private static String check(RawHttp.Answer answer, String field) throws IOException {
        if (answer.status() != 400) {
            return "status " + answer.status() + " " + answer.body();
        }
        if (!String.valueOf(answer.header("content-type")).startsWith("application/problem+json")) {
            return "content-type " + answer.header("content-type");
        }
        JsonNode problem = JSON.readTree(answer.body());
        if (!field.equals(problem.path("field").asText())) {
            return "field " + problem.path("field") + ": " + problem.path("detail");
        }
        return null;
    }

    private static String sep(Operation op) {
        return op.target(null, null).contains("?") ? "&" : "?";
    }

    record Param(String name, String in, boolean required, boolean array, String type) {
    }

    /** An operation of the document, with the context that makes it do something if a bad value were read as good. */
    record Operation(String method, String path, List<Param> params) {

        /** The request target with {@code fuzzed} (or nothing) given as the value of {@code p}. */
        String target(Param p, String fuzzed) {
            String id = path.endsWith("/restore") ? DELETED : LIVE;
            String target = path.replace("{id}", p != null && p.in().equals("path") ? fuzzed : id);
            List<String> query = new ArrayList<>();
            for (Param q : params) {
                if (q.in().equals("query")) {
                    if (q == p) {
                        query.add(q.name() + "=" + fuzzed);
                    } else if (q.required() || context(q)) {
                        query.add(q.name() + "=" + validValue(q));
                    }
                }
            }
            return query.isEmpty() ? target : target + "?" + String.join("&", query);
        }

        /** A bulk restore scoped to the deleted entry's key: it would restore it if dryRun were misread. */
        private boolean context(Param q) {
            return path.equals("/admin/entries/restore") && q.name().equals("key");
        }
    }

    private static String validValue(Param p) {
        return switch (p.name()) {
            case "key" -> "fuzzed";
            case "urlPrefix" -> "https://example.com/";
            case "state" -> "deleted";
            case "sort" -> "createdAt";
            case "after" -> "not-a-cursor";
            default -> switch (p.type()) {
                case "boolean" -> "false"; // dryRun=false: a misread value would run for real
                case "integer" -> "10";
                default -> p.name().endsWith("After") || p.name().endsWith("Before") ? "2026-01-01T00:00:00Z" : "x";
            };
        };
    }

    private List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/q/")) {
                return;
            }
            path.getValue().fields().forEachRemaining(op -> {
                List<Param> params = new ArrayList<>();
                for (JsonNode p : op.getValue().path("parameters")) {
                    if (p.path("in").asText().equals("header")) {
                        continue; // header values are the HTTP codec's (docs/api.md)
                    }
                    JsonNode schema = p.path("schema");
                    params.add(new Param(p.path("name").asText(), p.path("in").asText(), p.path("required").asBoolean(),
                            schema.path("type").asText().equals("array"), schema.path("type").asText()));
                }
                ops.add(new Operation(op.getKey().toUpperCase(), path.getKey(), params));
            });
        });
        return ops;
    }
}
