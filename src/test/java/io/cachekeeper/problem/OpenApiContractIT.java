package io.cachekeeper.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.ObservedResponses;
import io.cachekeeper.support.ObservedResponses.Observation;
import io.cachekeeper.support.RestartablePostgres;
import io.restassured.http.ContentType;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The OpenAPI document cannot drift from the service. The packaged service is asked for
 * {@code /q/openapi}, and every documented answer of every operation is provoked once
 * ({@link ContractProvocations}); then each operation must be fit for a client generator (summary,
 * typed parameters, a request schema, JSON success answers, problem+json errors), every answer this
 * test provoked and every one the other tests of this build saw ({@code ObservedResponses}) must be
 * documented for its operation with its media type, and every documented answer but 500 must have been
 * provoked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    private RestartablePostgres db;
    private AppProcess app;
    private JsonNode document;
    private DocumentedOperations operations;
    private List<Observation> provoked;
    /** What this test provoked and what the other tests of this build saw. */
    private List<Observation> seen;

    @BeforeAll
    void provokeEveryAnswerOfThePackagedService() throws Exception {
        db = new RestartablePostgres(Path.of("target", "openapi-contract-pg"));
        db.start();
        db.migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // A purgeable entry (restore answers 410) and enough purgeable rows for a slow pass (409).
            s.executeUpdate("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status,"
                    + " response_body, deleted_at) VALUES ('" + ContractProvocations.PURGEABLE
                    + "', 'gone', 'GET', 'u', 200, '\\x00', now() - interval '2 days')");
        }
        db.insertPurgeable("p-", 20000);
        Map<String, String> env = db.appEnvironment();
        env.put("CACHEKEEPER_CLEANUP_ENABLED", "false");
        env.put("CACHEKEEPER_CLEANUP_BATCH_SIZE", "5");
        env.put("CACHEKEEPER_MAX_BODY_SIZE", "64K");
        env.put("CACHEKEEPER_STREAMED_BODIES_MAX_SIZE", "64K");
        app = AppProcess.startWith("openapi-contract", env);
        document = JSON.readTree(app.api().accept(ContentType.JSON).get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        operations = new DocumentedOperations(document);
        ContractProvocations provocations = new ContractProvocations(app, db);
        provocations.provokeEveryAnswer();
        provoked = provocations.seen();
        seen = new ArrayList<>(provoked);
        seen.addAll(ObservedResponses.recorded());
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theParserOfClientGeneratorsReadsEveryOperationWithoutFindings() {
        // The parser of swagger-codegen and openapi-generator: no error, no unresolved reference.
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.toString(), null, options);
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser's findings");
        assertEquals(16, parsed.getOpenAPI().getPaths().values().stream()
                .mapToInt(item -> item.readOperations().size()).sum(), "operations swagger-parser read");
    }

    @Test
    void everyOperationIsFitForClientGenerators() {
        List<String> unfit = fitForGenerators(document);
        assertTrue(unfit.isEmpty(), "operations unfit for a client generator:\n" + String.join("\n", unfit));
    }

    @Test
    void everyAnswerTheTestsSawIsDocumentedWithItsMediaType() {
        Set<String> undocumented = new TreeSet<>();
        for (Observation o : seen) {
            operations.find(o.method(), o.path()).ifPresent(op -> {
                String documented = operations.mediaType(op, o.status());
                if (documented == null) {
                    undocumented.add(op + " " + o.status() + " (not documented)");
                } else if (!documented.equals(o.mediaType())) {
                    undocumented.add(op + " " + o.status() + " answered " + o.mediaType() + ", documented " + documented);
                }
            });
        }
        assertTrue(undocumented.isEmpty(), "answers the tests saw that the document does not describe:\n"
                + String.join("\n", undocumented));
    }

    @Test
    void everyDocumentedAnswerButFiveHundredIsProvoked() {
        Set<String> neverSeen = new TreeSet<>(operations.documentedAnswers());
        for (Observation o : seen) {
            operations.find(o.method(), o.path())
                    .filter(op -> o.mediaType().equals(operations.mediaType(op, o.status())))
                    .ifPresent(op -> neverSeen.remove(op + " " + o.status()));
        }
        neverSeen.removeIf(answer -> answer.endsWith(" 500"));
        assertTrue(neverSeen.isEmpty(), "documented answers no test provoked:\n" + String.join("\n", neverSeen));
        System.out.printf("OpenAPI contract: %d operations, %d documented answers, %d provoked here%n",
                operations.count(), operations.documentedAnswers().size(), provoked.size());
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
            JsonNode requestContent = operation.path("requestBody").path("content");
            if (Set.of("post", "put").contains(op.getKey()) && operation.has("requestBody")
                    && !requestContent.path("application/json").path("schema").has("$ref")
                    && !binary(requestContent.path(OCTETS).path("schema"))) {
                unfit.add(name + ": request body without a schema");
            }
            operation.path("responses").fields().forEachRemaining(answer -> {
                JsonNode content = DocumentedOperations.resolve(document, answer.getValue()).path("content");
                boolean error = answer.getKey().startsWith("4") || answer.getKey().startsWith("5");
                // Bytes (an entry's body) are a binary string; everything else is JSON with a schema.
                String type = error ? Problem.MEDIA_TYPE : content.has(OCTETS) ? OCTETS : "application/json";
                JsonNode schema = content.path(type).path("schema");
                if (content.size() != 1 || schema.isMissingNode() || type.equals(OCTETS) && !binary(schema)) {
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

    private static final String OCTETS = "application/octet-stream";

    private static boolean binary(JsonNode schema) {
        return "string".equals(schema.path("type").asText()) && "binary".equals(schema.path("format").asText());
    }

    private static boolean hasSuccess(JsonNode responses) {
        for (Iterator<String> it = responses.fieldNames(); it.hasNext();) {
            if (it.next().startsWith("2")) {
                return true;
            }
        }
        return false;
    }

}
