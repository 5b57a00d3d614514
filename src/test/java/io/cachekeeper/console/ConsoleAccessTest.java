package io.cachekeeper.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The operators' console is served to the admin role only, with the refusals of {@code /admin}, and its page may run
 * nothing but its own script ({@code src/test/console} drives it in a browser). Plain RestAssured: the console is
 * not an operation of the API, so its answers are not held to the OpenAPI document.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConsoleAccessTest {

    private static RequestSpecification as(String user) {
        return RestAssured.given().auth().preemptive().basic(user, PostgresResource.password(user));
    }

    @Test
    void theAdminGetsThePageItsScriptAndItsStyle() {
        as("admin").get("/console").then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", equalTo(ConsoleResource.CONTENT_SECURITY_POLICY))
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("<script type=\"module\" src=\"/console/console.js\"></script>"));
        as("admin").get("/console/console.js").then().statusCode(200).contentType(startsWith("text/javascript"))
                .body(containsString("/admin/deletions?hours=48"));
        as("admin").get("/console/console.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void nothingElseOfTheClassPathIsServed() {
        for (String path : new String[] { "/console/application.properties", "/console/..%2Fapplication.properties",
                "/console/index.htm" }) {
            as("admin").get(path).then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void otherRolesAreRefusedAndNoCredentialsAreChallenged() {
        for (String user : new String[] { "reader", "writer" }) {
            as(user).get("/console").then().statusCode(403).contentType("application/problem+json")
                    .body("detail", equalTo("your role does not allow GET /console"));
            as(user).get("/console/console.js").then().statusCode(403);
        }
        RestAssured.given().get("/console").then().statusCode(401).header("WWW-Authenticate", startsWith("Basic "));
    }
}
