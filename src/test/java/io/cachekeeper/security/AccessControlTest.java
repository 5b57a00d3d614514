package io.cachekeeper.security;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekeeper.support.Api;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Roles: reader (GET entries), writer (everything else on entries), admin (/admin/*). 401 without
 * or with wrong credentials, 403 with the wrong role, both problem+json; health open; no
 * credentials in the log.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessControlTest {

    private String id;

    @BeforeEach
    void seed() {
        Db.clear();
        id = Entries.create("acl");
    }

    private static RequestSpecification as(String user) {
        RequestSpecification spec = Api.anonymous().contentType(ContentType.JSON);
        return user == null ? spec : spec.auth().preemptive().basic(user, PostgresResource.password(user));
    }

    static Stream<Arguments> matrix() {
        // endpoint, then the expected status for: nobody, reader, writer, admin
        return Stream.of(
                Arguments.of("GET", "/entries?key=acl", 401, 200, 200, 200),
                Arguments.of("GET", "/entries/{id}", 401, 200, 200, 200),
                Arguments.of("POST", "/entries/{id}/refresh", 401, 403, 200, 200),
                Arguments.of("DELETE", "/entries?key=nothing", 401, 403, 200, 200),
                Arguments.of("POST", "/entries/{id}/restore", 401, 403, 409, 409),
                Arguments.of("GET", "/admin/stats", 401, 403, 403, 200),
                Arguments.of("GET", "/admin/cleanup", 401, 403, 403, 200),
                Arguments.of("POST", "/admin/cleanup?dryRun=true", 401, 403, 403, 200));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void rolesDecide(String method, String path, int nobody, int reader, int writer, int admin) {
        String url = path.replace("{id}", id);
        check(as(null), method, url, nobody);
        check(as("reader"), method, url, reader);
        check(as("writer"), method, url, writer);
        check(as("admin"), method, url, admin);
    }

    private static void check(RequestSpecification spec, String method, String url, int status) {
        var response = spec.request(method, url);
        response.then().statusCode(status);
        if (status == 401 || status == 403) {
            response.then().contentType("application/problem+json").body("status", equalTo(status));
        }
        if (status == 401) {
            response.then().header("WWW-Authenticate", "Basic realm=\"cachekeeper\"");
        }
    }

    @Test
    void createNeedsTheWriterRole() {
        as("reader").body(Entries.body("acl")).post("/entries").then().statusCode(403);
        as("writer").body(Entries.body("acl")).post("/entries").then().statusCode(201);
        as(null).body(Entries.body("acl")).post("/entries").then().statusCode(401);
        org.junit.jupiter.api.Assertions.assertEquals(2, Db.count("cache_key = 'acl'"));
    }

    @Test
    void wrongPasswordIs401() {
        Api.anonymous().auth().preemptive().basic("admin", "not-the-password").get("/admin/stats")
                .then().statusCode(401).contentType("application/problem+json");
        Api.anonymous().auth().preemptive().basic("mallory", "x").get("/entries/" + id).then().statusCode(401);
    }

    @Test
    void healthAndMetricsStayOpen() {
        Api.anonymous().get("/q/health/ready").then().statusCode(200);
        Api.anonymous().get("/q/health/live").then().statusCode(200);
        Api.anonymous().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void credentialsNeverReachTheLog() throws IOException {
        String secret = "s3cr3t-" + UUID.randomUUID();
        Api.anonymous().auth().preemptive().basic("admin", secret).get("/admin/stats").then().statusCode(401);
        Api.anonymous().auth().preemptive().basic("writer", secret).delete("/entries/" + id).then().statusCode(401);
        // The test profile's log file; @QuarkusIntegrationTest sends the packaged app's output there too.
        Path log = Path.of("target", "quarkus-test.log");
        assertTrue(Files.exists(log), "no service log at " + log);
        String text = Files.readString(log);
        assertFalse(text.contains(secret), "a password appeared in the log");
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + secret).getBytes());
        assertFalse(text.contains(basic), "an Authorization header appeared in the log");
    }
}
