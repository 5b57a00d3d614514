package io.cachekeeper.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * 5,000 seeded mutations of well-formed requests of every operation, sent over a raw socket: malformed
 * values, repeated or unknown parameters, bad ids and If-Match headers, wrong content types, broken or
 * hostile JSON bodies. Whatever the mutation, no answer is a 5xx, every error is problem+json (but the
 * request targets Vert.x refuses itself, docs/api.md), and no refused request changes the table.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HostileRequestsTest {

    private static final long SEED = 20261201L;
    private static final int REQUESTS = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] VALUES = { "%00", "a%01b", "", "%e9", "%ed%a0%80", "%80", "caf\u00e9", "true",
            "false", "TRUE", "-1", "0", "99999999999", "1e3", "x".repeat(9000), "deleted", "nope", "2026-13-01T00:00:00Z",
            "%20true", "true%20", "a%zz", "%", "+", "%2B", "%0d%0a", "%ef%bf%bf", "%f0%9f%98%80" };
    private static final String[] NAMES = { "key", "urlPrefix", "includeDeleted", "includeExpired", "includeBody",
            "limit", "after", "state", "sort", "dryRun", "deletedAfter", "createdBefore", "dryrun", "Key", "tag", "" };
    private static final String[] IF_MATCH = { "\"1\"", "\"999\"", "*", "W/\"1\"", "\"abc\"", "1", ",", "\"1\", \"2\"",
            "\"" + "9".repeat(40) + "\"" };
    private static final String[] BODIES = { "{", "[]", "null", "{\"cacheKey\":\"k\"}", "not json",
            "{\"cacheKey\":\"a\\u0000b\"}", "{\"cacheKey\":\"\\ud800\"}", "{\"cacheKey\":\"k\",\"cacheKey\":\"k\"}",
            "{\"cacheKey\":\"k\u0001\"}" };

    @Test
    void noHostileRequestIsA5xxOrAnErrorWithoutProblemOrAChangeWhenRefused() throws IOException, java.sql.SQLException {
        Db.clear();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(Entries.create("hostile-" + i));
        }
        Entries.delete(ids.get(1)).then().statusCode(200);
        Entries.delete(ids.get(2)).then().statusCode(200);
        Entries.backdateDeletion(ids.get(2), 3 * 24 * 3600); // purgeable: a real pass would change the table
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        try (java.sql.Connection db = Db.connect()) {
            for (int n = 0; n < REQUESTS && wrong.size() < 20; n++) {
                Request r = mutate(random, ids);
                String before = Db.tableChecksum(db);
                RawHttp.Answer answer = RawHttp.send(RestAssured.port, r.method, r.target,
                        r.body.getBytes(StandardCharsets.UTF_8), r.headers.toArray(String[]::new));
                statuses.merge(answer.status(), 1, Integer::sum);
                boolean vertxRefusal = r.target.matches(".*%([^0-9a-fA-F].|.[^0-9a-fA-F]|.?$).*") && answer.status() == 400;
                if (answer.status() >= 500) {
                    wrong.add(answer.status() + " for " + r + ": " + answer.body());
                } else if (answer.status() >= 400 && !vertxRefusal
                        && !String.valueOf(answer.header("content-type")).startsWith("application/problem+json")) {
                    wrong.add("no problem+json (" + answer.status() + ") for " + r);
                }
                if (answer.status() >= 400 && !before.equals(Db.tableChecksum(db))) {
                    wrong.add("refused with " + answer.status() + " but the table changed: " + r);
                }
            }
        }
        System.out.println("HostileRequestsTest: " + REQUESTS + " requests (seed " + SEED + "), statuses " + statuses);
        assertEquals(List.of(), wrong);
        assertTrue(statuses.keySet().stream().anyMatch(s -> s >= 400) && statuses.containsKey(200), statuses.toString());
    }

    record Request(String method, String target, List<String> headers, String body) {
        @Override
        public String toString() {
            String t = target.length() > 120 ? target.substring(0, 120) + "…" : target;
            String b = body.length() > 80 ? body.substring(0, 80) + "…" : body;
            return method + " " + t + " " + headers + " " + b;
        }
    }

    private static Request mutate(Random random, List<String> ids) throws IOException {
        String id = ids.get(random.nextInt(ids.size()));
        String[][] ops = { { "GET", "/entries?key=hostile-0" }, { "GET", "/entries/" + id }, { "PUT", "/entries/" + id },
                { "POST", "/entries" }, { "POST", "/entries/" + id + "/refresh" }, { "DELETE", "/entries/" + id },
                { "POST", "/entries/" + id + "/restore" }, { "DELETE", "/entries?key=hostile-3" },
                { "POST", "/admin/cleanup?dryRun=true" }, { "GET", "/admin/cleanup" }, { "GET", "/admin/stats" },
                { "GET", "/admin/entries?state=deleted" }, { "POST", "/admin/entries/restore?key=hostile-1&dryRun=true" } };
        String[] op = ops[random.nextInt(ops.length)];
        String method = op[0];
        String target = op[1];
        List<String> headers = new ArrayList<>();
        String body = "";
        if (method.equals("PUT") || (method.equals("POST") && target.equals("/entries"))) {
            Map<String, Object> entry = Entries.body("hostile-new-" + random.nextInt(1000));
            body = JSON.writeValueAsString(entry);
            headers.add("Content-Type: application/json");
        }
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
            switch (random.nextInt(8)) {
                case 0, 1 -> { // a parameter's value, or a new parameter
                    String name = NAMES[random.nextInt(NAMES.length)];
                    String value = VALUES[random.nextInt(VALUES.length)];
                    target += (target.contains("?") ? "&" : "?") + name + (random.nextInt(8) == 0 ? "" : "=" + value);
                }
                case 2 -> { // an existing parameter's value replaced
                    if (target.contains("=")) {
                        int eq = target.lastIndexOf('=');
                        target = target.substring(0, eq + 1) + VALUES[random.nextInt(VALUES.length)];
                    }
                }
                case 3 -> target = target.replace(id, random.nextBoolean() ? id.toUpperCase().replace('-', '_')
                        : VALUES[random.nextInt(VALUES.length)].replace("+", "x"));
                case 4 -> headers.add("If-Match: " + IF_MATCH[random.nextInt(IF_MATCH.length)]);
                case 5 -> {
                    headers.removeIf(h -> h.startsWith("Content-Type"));
                    headers.add("Content-Type: " + (random.nextBoolean() ? "text/plain" : "application/json; charset=latin1"));
                }
                case 6 -> {
                    body = BODIES[random.nextInt(BODIES.length)];
                    if (headers.stream().noneMatch(h -> h.startsWith("Content-Type"))) {
                        headers.add("Content-Type: application/json");
                    }
                }
                default -> { // a field of the body made hostile
                    if (!body.isEmpty() && body.startsWith("{\"cacheKey\"")) {
                        body = body.replaceFirst("\"hostile-new-", random.nextBoolean() ? "\"\\\\u0000" : "\"\\\\ud800");
                    }
                }
            }
        }
        return new Request(method, target, headers, body);
    }
}
