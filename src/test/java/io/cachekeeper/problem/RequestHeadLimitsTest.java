package io.cachekeeper.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.http.RequestHeadLimits;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The request head's limits answer problem+json up to where Vert.x's codec stops (twice them); past
 * that, and for what the codec cannot parse, Vert.x's bare answer is what docs/api.md says it is.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RequestHeadLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestLineOverTheLimitIsA414Problem() throws IOException {
        String target = "/entries?key=" + "a".repeat(RequestHeadLimits.REQUEST_LINE);
        assertProblem(RawHttp.send(RestAssured.port, "GET", target), 414);
    }

    @Test
    void headersOverTheLimitAreA431Problem() throws IOException {
        String big = "X-Padding: " + "p".repeat(RequestHeadLimits.HEADERS);
        assertProblem(RawHttp.send(RestAssured.port, "GET", "/entries?key=k", big), 431);
    }

    @Test
    void justUnderTheLimitsIsServed() throws IOException {
        String target = "/entries?key=" + "a".repeat(8000);
        String header = "X-Padding: " + "p".repeat(RequestHeadLimits.HEADERS - 1024);
        assertEquals(200, RawHttp.send(RestAssured.port, "GET", target, header).status());
    }

    @Test
    void pastVertxsOwnLimitsTheAnswerIsBareAsDocumented() throws IOException {
        RawHttp.Answer line = RawHttp.send(RestAssured.port, "GET",
                // Just past Vert.x's limit (twice ours): far past it, the request's unread rest makes the close a reset.
                "/entries?key=" + "a".repeat(2 * RequestHeadLimits.REQUEST_LINE + 1024));
        assertEquals(414, line.status());
        assertEquals("0", line.header("content-length"));
        RawHttp.Answer nul = RawHttp.send(RestAssured.port, "GET", "/entries?key=k", "X-Bad: a\0b");
        assertEquals(400, nul.status());
        assertEquals("0", nul.header("content-length"));
    }

    private static void assertProblem(RawHttp.Answer answer, int status) throws IOException {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(String.valueOf(answer.header("content-type")).startsWith("application/problem+json"),
                String.valueOf(answer.headers()));
        JsonNode problem = JSON.readTree(answer.body());
        assertEquals(status, problem.path("status").asInt());
        assertTrue(problem.path("detail").asText().contains("exceed"), answer.body());
    }
}
