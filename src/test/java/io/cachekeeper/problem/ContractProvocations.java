package io.cachekeeper.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.ObservedResponses.Observation;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.RestartablePostgres;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Provokes every documented answer of every operation of the packaged service (but 500, which no
 * correct request can cause), each checked for its status, and records what the service answered.
 */
final class ContractProvocations {

    /** A purgeable entry the fixture inserts: its restore answers 410. */
    static final String PURGEABLE = "00000000-0000-0000-0000-00000000041a";

    private final AppProcess app;
    private final RestartablePostgres db;
    private final List<Observation> seen = new ArrayList<>();
    /** cachekeeper.streamed-bodies.max-size of the service under test (OpenApiContractIT). */
    static final int STREAMED_MAX = 64 * 1024;

    ContractProvocations(AppProcess app, RestartablePostgres db) {
        this.app = app;
        this.db = db;
    }

    /** What the service answered, in order. */
    List<Observation> seen() {
        return seen;
    }

    /** Every documented answer of every operation, but 500; with the database up, then down. */
    void provokeEveryAnswer() throws Exception {
        String live = expect(201, "POST", "/entries", json(Entries.body("contract"))).getString("id");
        String deleted = expect(201, "POST", "/entries", json(Entries.body("contract"))).getString("id");
        expect(200, "DELETE", "/entries/" + deleted, r -> r);
        String absent = "00000000-0000-0000-0000-000000000404";
        Map<String, Object> withId = Entries.body("contract");
        withId.put("id", live);
        Map<String, Object> invalid = Entries.body("contract");
        invalid.remove("cacheKey");
        Map<String, Object> huge = Entries.body("contract");
        huge.put("response", Map.of("status", 200, "headers", Map.of(),
                "body", Base64.getEncoder().encodeToString(new byte[100_000]))); // over max-body-size 64K
        UnaryOperator<RequestSpecification> staleVersion = r -> r.header("If-Match", "\"999\"");
        UnaryOperator<RequestSpecification> badIfMatch = r -> r.header("If-Match", "3");
        UnaryOperator<RequestSpecification> notJson = r -> r.contentType(ContentType.TEXT).body("hello");

        // POST /entries
        expect(400, "POST", "/entries", json(invalid));
        expect(409, "POST", "/entries", json(withId));
        expect(413, "POST", "/entries", json(huge));
        expect(415, "POST", "/entries", notJson);
        // GET /entries
        expect(200, "GET", "/entries?key=contract", r -> r);
        expect(400, "GET", "/entries", r -> r);
        // GET /entries/{id}
        expect(200, "GET", "/entries/" + live, r -> r);
        expect(400, "GET", "/entries/not-a-uuid", r -> r);
        expect(404, "GET", "/entries/" + absent, r -> r);
        // PUT /entries/{id}
        expect(200, "PUT", "/entries/" + live, json(Entries.body("contract")));
        expect(400, "PUT", "/entries/" + live, json(invalid));
        expect(404, "PUT", "/entries/" + absent, json(Entries.body("contract")));
        expect(409, "PUT", "/entries/" + deleted, json(Entries.body("contract")));
        expect(412, "PUT", "/entries/" + live, r -> staleVersion.apply(json(Entries.body("contract")).apply(r)));
        expect(413, "PUT", "/entries/" + live, json(huge));
        expect(415, "PUT", "/entries/" + live, notJson);
        // POST /entries/{id}/refresh
        expect(200, "POST", "/entries/" + live + "/refresh", r -> r);
        expect(400, "POST", "/entries/" + live + "/refresh", badIfMatch);
        expect(404, "POST", "/entries/" + absent + "/refresh", r -> r);
        expect(409, "POST", "/entries/" + deleted + "/refresh", r -> r);
        expect(412, "POST", "/entries/" + live + "/refresh", staleVersion);
        // POST /entries/{id}/restore
        expect(200, "POST", "/entries/" + deleted + "/restore", r -> r);
        expect(400, "POST", "/entries/not-a-uuid/restore", r -> r);
        expect(404, "POST", "/entries/" + absent + "/restore", r -> r);
        expect(409, "POST", "/entries/" + live + "/restore", r -> r);
        expect(410, "POST", "/entries/" + PURGEABLE + "/restore", r -> r);
        expect(412, "POST", "/entries/" + PURGEABLE + "/restore", staleVersion);
        // DELETE /entries/{id}
        expect(400, "DELETE", "/entries/" + live, badIfMatch);
        expect(404, "DELETE", "/entries/" + absent, r -> r);
        expect(412, "DELETE", "/entries/" + live, staleVersion);
        expect(200, "DELETE", "/entries/" + deleted, r -> r);
        // DELETE /entries
        expect(200, "DELETE", "/entries?urlPrefix=https://example.com/", r -> r);
        expect(400, "DELETE", "/entries", r -> r);
        // POST /bodies, GET /entries/{id}/body
        UnaryOperator<RequestSpecification> bytes = r -> r.contentType("application/octet-stream").body(new byte[10_000]);
        String uploaded = expect(201, "POST", "/bodies?key=contract", bytes).getString("id");
        expect(400, "POST", "/bodies", bytes);
        expect(413, "POST", "/bodies?key=contract",
                r -> r.contentType("application/octet-stream").body(new byte[STREAMED_MAX + 1]));
        expect(415, "POST", "/bodies?key=contract", notJson);
        Map<String, Object> streamed = Entries.body("contract");
        streamed.put("response", Map.of("status", 200, "headers", Map.of(), "bodyId", uploaded));
        String large = expect(201, "POST", "/entries", json(streamed)).getString("id");
        send("GET", "/entries/" + large + "/body", r -> r, 200);
        send("GET", "/entries/" + large + "/body", r -> r.header("Range", "bytes=0-99"), 206);
        expect(416, "GET", "/entries/" + large + "/body", r -> r.header("Range", "bytes=20000-"));
        expect(400, "GET", "/entries/not-a-uuid/body", r -> r);
        expect(404, "GET", "/entries/" + absent + "/body", r -> r);
        // Admin
        expect(200, "GET", "/admin/cleanup", r -> r);
        expect(200, "GET", "/admin/stats", r -> r);
        expect(200, "GET", "/admin/deletions?hours=48", r -> r);
        expect(400, "GET", "/admin/deletions?hours=0", r -> r);
        expect(400, "POST", "/admin/cleanup?dryRun=maybe", r -> r);
        expect(200, "POST", "/admin/cleanup?dryRun=true", r -> r);
        CompletableFuture<Response> pass = CompletableFuture.supplyAsync(() -> app.api().post("/admin/cleanup"));
        Poll.until(Duration.ofSeconds(30), "a pass is running",
                () -> app.api().get("/admin/cleanup").then().extract().<Boolean> path("running"));
        expect(409, "POST", "/admin/cleanup", r -> r);
        assertEquals(200, pass.join().statusCode());
        // The recycle bin
        expect(200, "GET", "/admin/entries?state=deleted", r -> r);
        expect(400, "GET", "/admin/entries?state=gone", r -> r);
        expect(200, "POST", "/admin/entries/restore?key=contract&dryRun=true", r -> r);
        expect(400, "POST", "/admin/entries/restore", r -> r);

        // Answers every operation shares: no credentials, a role too small, an Accept without JSON.
        String[][] operations = { { "POST", "/entries" }, { "GET", "/entries?key=contract" }, { "GET", "/entries/" + live },
                { "PUT", "/entries/" + live }, { "POST", "/entries/" + live + "/refresh" },
                { "POST", "/entries/" + live + "/restore" },
                { "DELETE", "/entries/" + live }, { "DELETE", "/entries?key=contract" }, { "GET", "/admin/cleanup" },
                { "POST", "/admin/cleanup?dryRun=true" }, { "GET", "/admin/stats" }, { "GET", "/admin/deletions" },
                { "GET", "/admin/entries" },
                { "POST", "/admin/entries/restore?key=contract" }, { "POST", "/bodies?key=contract" },
                { "GET", "/entries/" + live + "/body" } };
        for (String[] op : operations) {
            UnaryOperator<RequestSpecification> body = bodyOf(op);
            send(op[0], op[1], r -> body.apply(r).auth().none(), 401);
            String user = op[1].startsWith("/admin") ? "writer" : "reader";
            if (!op[0].equals("GET") || op[1].startsWith("/admin")) {
                send(op[0], op[1], r -> body.apply(r).auth().preemptive()
                        .basic(user, PostgresResource.password(user)), 403);
            }
            send(op[0], op[1], r -> body.apply(r).accept(ContentType.TEXT), 406);
            // The request head's limits (http/RequestHeadLimits): a request line over its bytes, header lines over 20 KiB.
            String longLine = op[1] + (op[1].contains("?") ? "&" : "?") + "pad="
                    + "p".repeat(io.cachekeeper.http.RequestHeadLimits.REQUEST_LINE);
            send(op[0], longLine, body, 414);
            send(op[0], op[1], r -> body.apply(r).header("X-Pad", "p".repeat(21 * 1024)), 431);
        }

        // The database goes away: every operation that needs it answers 503; a pass reports the failure in
        // its 200 report instead, and the cleanup status needs no database.
        db.stop();
        for (String[] op : operations) {
            if (!op[1].startsWith("/admin/cleanup")) {
                send(op[0], op[1], bodyOf(op), 503);
            }
        }
        assertEquals(false, expect(200, "POST", "/admin/cleanup", r -> r).getBoolean("completed"));
        expect(200, "GET", "/admin/cleanup", r -> r);
        db.start();
    }

    /** A valid entry for the operations that take one (POST /entries, PUT), nothing for the others. */
    private static UnaryOperator<RequestSpecification> bodyOf(String[] operation) {
        if (operation[1].startsWith("/bodies")) {
            return r -> r.contentType("application/octet-stream").body(new byte[100]);
        }
        boolean takesEntry = operation[0].equals("PUT") || operation[0].equals("POST") && operation[1].equals("/entries");
        return takesEntry ? json(Entries.body("contract")) : r -> r;
    }

    private static UnaryOperator<RequestSpecification> json(Object body) {
        return r -> r.contentType(ContentType.JSON).body(body);
    }

    private JsonPath expect(int status, String method, String path,
            UnaryOperator<RequestSpecification> request) {
        return send(method, path, request, status).jsonPath();
    }

    private Response send(String method, String path, UnaryOperator<RequestSpecification> request,
            int status) {
        Response response = request.apply(app.api()).request(method, path);
        String type = response.getContentType() == null ? "" : response.getContentType().split(";")[0].trim();
        seen.add(new Observation(method, path.split("\\?")[0], response.statusCode(), type));
        String answer = response.asString();
        assertEquals(status, response.statusCode(), method + " " + path + ": "
                + answer.substring(0, Math.min(answer.length(), 300)));
        return response;
    }

}
