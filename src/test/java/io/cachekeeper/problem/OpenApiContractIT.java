package io.cachekeeper.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.ObservedResponses;
import io.cachekeeper.support.ObservedResponses.Observation;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.RestartablePostgres;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The OpenAPI document cannot drift from the service. The packaged service is asked for
 * {@code /q/openapi}; then (1) each operation must be fit for a client generator (summary, typed
 * parameters, a request schema, JSON success answers, problem+json errors); (2) every answer of the API
 * that this test provokes, and every one the other tests of this build saw ({@code ObservedResponses}),
 * must be documented for its operation with its media type; (3) every documented answer of every
 * operation must be provoked here, except 500, which no correct request can cause.
 */
class OpenApiContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String PURGEABLE = "00000000-0000-0000-0000-00000000041a";

    private final List<Observation> seenHere = new ArrayList<>();

    @Test
    void theDocumentDescribesEveryAnswerAndEveryAnswerIsDocumented() throws Exception {
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "openapi-contract-pg"))) {
            db.start();
            db.migrate();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                // A purgeable entry (restore answers 410) and enough purgeable rows for a slow pass (409).
                s.executeUpdate("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status,"
                        + " response_body, deleted_at) VALUES ('" + PURGEABLE + "', 'gone', 'GET', 'u', 200, '\\x00',"
                        + " now() - interval '2 days')");
            }
            db.insertPurgeable("p-", 20000);
            Map<String, String> env = db.appEnvironment();
            env.put("CACHEKEEPER_CLEANUP_ENABLED", "false");
            env.put("CACHEKEEPER_CLEANUP_BATCH_SIZE", "5");
            env.put("CACHEKEEPER_MAX_BODY_SIZE", "64K");
            try (AppProcess app = AppProcess.startWith("openapi-contract", env)) {
                JsonNode document = JSON.readTree(app.api().accept(ContentType.JSON).get("/q/openapi?format=json")
                        .then().statusCode(200).extract().asString());

                // The parser of swagger-codegen and openapi-generator: no error, no unresolved reference.
                ParseOptions options = new ParseOptions();
                options.setResolve(true);
                options.setValidateInternalRefs(true);
                SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.toString(), null, options);
                assertEquals(List.of(), parsed.getMessages(), "swagger-parser's findings");
                assertEquals(13, parsed.getOpenAPI().getPaths().values().stream()
                        .mapToInt(item -> item.readOperations().size()).sum(), "operations swagger-parser read");

                List<String> unfit = fitForGenerators(document);
                assertTrue(unfit.isEmpty(), "operations unfit for a client generator:\n" + String.join("\n", unfit));

                provokeEveryAnswer(app, db);

                List<Observation> seen = new ArrayList<>(seenHere);
                seen.addAll(ObservedResponses.recorded());
                Operations operations = new Operations(document);
                Set<String> undocumented = new TreeSet<>();
                Set<String> covered = new TreeSet<>();
                for (Observation o : seen) {
                    operations.find(o.method(), o.path()).ifPresent(op -> {
                        String key = op + " " + o.status();
                        String documented = operations.mediaType(op, o.status());
                        if (documented == null) {
                            undocumented.add(key + " (not documented)");
                        } else if (!documented.equals(o.mediaType())) {
                            undocumented.add(key + " answered " + o.mediaType() + ", documented " + documented);
                        } else {
                            covered.add(key);
                        }
                    });
                }
                assertTrue(undocumented.isEmpty(), "answers the tests saw that the document does not describe:\n"
                        + String.join("\n", undocumented));
                Set<String> neverSeen = new TreeSet<>(operations.documentedAnswers());
                neverSeen.removeAll(covered);
                neverSeen.removeIf(answer -> answer.endsWith(" 500"));
                assertTrue(neverSeen.isEmpty(), "documented answers no test provoked:\n" + String.join("\n", neverSeen));
                System.out.printf("OpenAPI contract: %d operations, %d documented answers, %d answers checked "
                        + "(%d from other tests)%n", operations.count(), operations.documentedAnswers().size(),
                        seen.size(), seen.size() - seenHere.size());
            }
        }
    }

    /** Each operation: a summary, typed parameters, a request schema, JSON success, problem+json errors. */
    private static List<String> fitForGenerators(JsonNode document) {
        List<String> unfit = new ArrayList<>();
        JsonNode schemas = document.path("components").path("schemas");
        assertTrue(schemas.has("Problem"), "the Problem schema is in components");
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String name = op.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = op.getValue();
            if (operation.path("summary").asText().isBlank()) {
                unfit.add(name + ": no summary");
            }
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode schema = parameter.path("schema");
                if (!schema.has("type") && !schema.has("$ref")) {
                    unfit.add(name + ": parameter " + parameter.path("name").asText() + " has no type");
                }
            }
            if (Set.of("post", "put").contains(op.getKey()) && operation.has("requestBody")
                    && !operation.path("requestBody").path("content").path("application/json").path("schema").has("$ref")) {
                unfit.add(name + ": request body without a schema");
            }
            operation.path("responses").fields().forEachRemaining(answer -> {
                JsonNode content = resolve(document, answer.getValue()).path("content");
                boolean error = answer.getKey().startsWith("4") || answer.getKey().startsWith("5");
                String type = error ? Problem.MEDIA_TYPE : "application/json";
                JsonNode schema = content.path(type).path("schema");
                if (content.size() != 1 || schema.isMissingNode()) {
                    unfit.add(name + " " + answer.getKey() + ": not (only) " + type + " with a schema");
                } else if (error && !PROBLEM_REF.equals(schema.path("$ref").asText())) {
                    unfit.add(name + " " + answer.getKey() + ": not the Problem schema");
                }
            });
            if (!hasSuccess(operation.path("responses"))) {
                unfit.add(name + ": no success answer");
            }
        }));
        return unfit;
    }

    /** A response, or the component it refers to ({@code $ref: #/components/responses/X}). */
    private static JsonNode resolve(JsonNode document, JsonNode response) {
        String ref = response.path("$ref").asText("");
        return ref.startsWith("#/") ? document.at(ref.substring(1)) : response;
    }

    private static boolean hasSuccess(JsonNode responses) {
        for (Iterator<String> it = responses.fieldNames(); it.hasNext();) {
            if (it.next().startsWith("2")) {
                return true;
            }
        }
        return false;
    }

    /** Every documented answer of every operation, but 500; with the database up, then down. */
    private void provokeEveryAnswer(AppProcess app, RestartablePostgres db) throws Exception {
        String live = expect(201, app, "POST", "/entries", json(Entries.body("contract"))).getString("id");
        String deleted = expect(201, app, "POST", "/entries", json(Entries.body("contract"))).getString("id");
        expect(200, app, "DELETE", "/entries/" + deleted, r -> r);
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
        expect(400, app, "POST", "/entries", json(invalid));
        expect(409, app, "POST", "/entries", json(withId));
        expect(413, app, "POST", "/entries", json(huge));
        expect(415, app, "POST", "/entries", notJson);
        // GET /entries
        expect(200, app, "GET", "/entries?key=contract", r -> r);
        expect(400, app, "GET", "/entries", r -> r);
        // GET /entries/{id}
        expect(200, app, "GET", "/entries/" + live, r -> r);
        expect(400, app, "GET", "/entries/not-a-uuid", r -> r);
        expect(404, app, "GET", "/entries/" + absent, r -> r);
        // PUT /entries/{id}
        expect(200, app, "PUT", "/entries/" + live, json(Entries.body("contract")));
        expect(400, app, "PUT", "/entries/" + live, json(invalid));
        expect(404, app, "PUT", "/entries/" + absent, json(Entries.body("contract")));
        expect(409, app, "PUT", "/entries/" + deleted, json(Entries.body("contract")));
        expect(412, app, "PUT", "/entries/" + live, r -> staleVersion.apply(json(Entries.body("contract")).apply(r)));
        expect(413, app, "PUT", "/entries/" + live, json(huge));
        expect(415, app, "PUT", "/entries/" + live, notJson);
        // POST /entries/{id}/refresh
        expect(200, app, "POST", "/entries/" + live + "/refresh", r -> r);
        expect(400, app, "POST", "/entries/" + live + "/refresh", badIfMatch);
        expect(404, app, "POST", "/entries/" + absent + "/refresh", r -> r);
        expect(409, app, "POST", "/entries/" + deleted + "/refresh", r -> r);
        expect(412, app, "POST", "/entries/" + live + "/refresh", staleVersion);
        // POST /entries/{id}/restore
        expect(200, app, "POST", "/entries/" + deleted + "/restore", r -> r);
        expect(400, app, "POST", "/entries/not-a-uuid/restore", r -> r);
        expect(404, app, "POST", "/entries/" + absent + "/restore", r -> r);
        expect(409, app, "POST", "/entries/" + live + "/restore", r -> r);
        expect(410, app, "POST", "/entries/" + PURGEABLE + "/restore", r -> r);
        expect(412, app, "POST", "/entries/" + PURGEABLE + "/restore", staleVersion);
        // DELETE /entries/{id}
        expect(400, app, "DELETE", "/entries/" + live, badIfMatch);
        expect(404, app, "DELETE", "/entries/" + absent, r -> r);
        expect(412, app, "DELETE", "/entries/" + live, staleVersion);
        expect(200, app, "DELETE", "/entries/" + deleted, r -> r);
        // DELETE /entries
        expect(200, app, "DELETE", "/entries?urlPrefix=https://example.com/", r -> r);
        expect(400, app, "DELETE", "/entries", r -> r);
        // Admin
        expect(200, app, "GET", "/admin/cleanup", r -> r);
        expect(200, app, "GET", "/admin/stats", r -> r);
        expect(400, app, "POST", "/admin/cleanup?dryRun=maybe", r -> r);
        expect(200, app, "POST", "/admin/cleanup?dryRun=true", r -> r);
        CompletableFuture<Response> pass = CompletableFuture.supplyAsync(() -> app.api().post("/admin/cleanup"));
        Poll.until(Duration.ofSeconds(30), "a pass is running",
                () -> app.api().get("/admin/cleanup").then().extract().<Boolean> path("running"));
        expect(409, app, "POST", "/admin/cleanup", r -> r);
        assertEquals(200, pass.join().statusCode());
        // The recycle bin
        expect(200, app, "GET", "/admin/entries?state=deleted", r -> r);
        expect(400, app, "GET", "/admin/entries?state=gone", r -> r);
        expect(200, app, "POST", "/admin/entries/restore?key=contract&dryRun=true", r -> r);
        expect(400, app, "POST", "/admin/entries/restore", r -> r);

        // Answers every operation shares: no credentials, a role too small, an Accept without JSON.
        String[][] operations = { { "POST", "/entries" }, { "GET", "/entries?key=contract" }, { "GET", "/entries/" + live },
                { "PUT", "/entries/" + live }, { "POST", "/entries/" + live + "/refresh" },
                { "POST", "/entries/" + live + "/restore" },
                { "DELETE", "/entries/" + live }, { "DELETE", "/entries?key=contract" }, { "GET", "/admin/cleanup" },
                { "POST", "/admin/cleanup?dryRun=true" }, { "GET", "/admin/stats" }, { "GET", "/admin/entries" },
                { "POST", "/admin/entries/restore?key=contract" } };
        for (String[] op : operations) {
            UnaryOperator<RequestSpecification> body = bodyOf(op);
            send(app, op[0], op[1], r -> body.apply(r).auth().none(), 401);
            String user = op[1].startsWith("/admin") ? "writer" : "reader";
            if (!op[0].equals("GET") || op[1].startsWith("/admin")) {
                send(app, op[0], op[1], r -> body.apply(r).auth().preemptive()
                        .basic(user, PostgresResource.password(user)), 403);
            }
            send(app, op[0], op[1], r -> body.apply(r).accept(ContentType.TEXT), 406);
        }

        // The database goes away: every operation that needs it answers 503; a pass reports the failure in
        // its 200 report instead, and the cleanup status needs no database.
        db.stop();
        for (String[] op : operations) {
            if (!op[1].startsWith("/admin/cleanup")) {
                send(app, op[0], op[1], bodyOf(op), 503);
            }
        }
        assertEquals(false, expect(200, app, "POST", "/admin/cleanup", r -> r).getBoolean("completed"));
        expect(200, app, "GET", "/admin/cleanup", r -> r);
        db.start();
    }

    /** A valid entry for the operations that take one (POST /entries, PUT), nothing for the others. */
    private static UnaryOperator<RequestSpecification> bodyOf(String[] operation) {
        boolean takesEntry = operation[0].equals("PUT") || operation[0].equals("POST") && operation[1].equals("/entries");
        return takesEntry ? json(Entries.body("contract")) : r -> r;
    }

    private static UnaryOperator<RequestSpecification> json(Object body) {
        return r -> r.contentType(ContentType.JSON).body(body);
    }

    private io.restassured.path.json.JsonPath expect(int status, AppProcess app, String method, String path,
            UnaryOperator<RequestSpecification> request) {
        return send(app, method, path, request, status).jsonPath();
    }

    private Response send(AppProcess app, String method, String path, UnaryOperator<RequestSpecification> request,
            int status) {
        Response response = request.apply(app.api()).request(method, path);
        String type = response.getContentType() == null ? "" : response.getContentType().split(";")[0].trim();
        seenHere.add(new Observation(method, path.split("\\?")[0], response.statusCode(), type));
        String answer = response.asString();
        assertEquals(status, response.statusCode(), method + " " + path + ": "
                + answer.substring(0, Math.min(answer.length(), 300)));
        return response;
    }

    /** The operations of the document, found by method and concrete path. */
    private static final class Operations {

        private final JsonNode document;
        private final Map<String, JsonNode> byName = new HashMap<>();
        private final Map<Pattern, String> templates = new HashMap<>();

        Operations(JsonNode document) {
            this.document = document;
            document.path("paths").fields().forEachRemaining(path -> {
                templates.put(Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+")), path.getKey());
                path.getValue().fields()
                        .forEachRemaining(op -> byName.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue()));
            });
        }

        /** The operation's name, or empty for a path or method the API does not have (404/405 of the router). */
        Optional<String> find(String method, String path) {
            return templates.entrySet().stream().filter(t -> t.getKey().matcher(path).matches())
                    .map(t -> method + " " + t.getValue()).filter(byName::containsKey).findFirst();
        }

        String mediaType(String operation, int status) {
            JsonNode answer = byName.get(operation).path("responses").path(String.valueOf(status));
            JsonNode content = resolve(document, answer).path("content");
            return content.isMissingNode() ? null : content.fieldNames().next();
        }

        Set<String> documentedAnswers() {
            Set<String> answers = new TreeSet<>();
            byName.forEach((name, op) -> op.path("responses").fieldNames().forEachRemaining(s -> answers.add(name + " " + s)));
            return answers;
        }

        int count() {
            return byName.size();
        }
    }
}
