package io.cachekeeper.problem;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The request-body budget only meters bodies: calls without one (refresh, restore, admin) are never
 * refused by it, and a budget smaller than one body still lets one body through at a time.
 * ({@code RequestBodyMemoryIT} drives it under memory pressure on the packaged jar.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(RequestBodyBudgetTest.TinyBudget.class)
class RequestBodyBudgetTest {

    public static class TinyBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.request-body-budget", "100");
        }
    }

    @Test
    void bodilessCallsPassAndOneBodyFitsEvenATinyBudget() {
        Db.clear();
        String id = Entries.create("GET https://example.com/budget"); // ~400 bytes against a 100-byte budget
        given().post("/entries/" + id + "/refresh").then().statusCode(200);
        Entries.delete(id).then().statusCode(200);
        Entries.restore(id).then().statusCode(200).body("state", equalTo("live"));
        given().post("/admin/cleanup").then().statusCode(200);
    }
}
