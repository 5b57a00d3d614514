package io.cachekeeper.http;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * HTTP as HTTP says (issue 45): a 405 names the methods the path has in {@code Allow}, {@code OPTIONS} lists exactly
 * those (from the OpenAPI document, {@link AllowedMethods}), and times are RFC 3339 date-times, the format the
 * document declares, with any offset it allows.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HttpSemanticsTest {

    private static final String ID = "/entries/00000000-0000-4000-8000-000000000000";

    @Test
    void a405SaysWhichMethodsThePathHas() {
        given().request("PATCH", ID).then().statusCode(405).contentType("application/problem+json")
                .header("Allow", "DELETE, GET, HEAD, OPTIONS, PUT");
        given().request("PUT", "/admin/stats").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
        given().request("DELETE", ID + "/refresh").then().statusCode(405).header("Allow", "OPTIONS, POST");
    }

    @Test
    void optionsTellsTheTruth() {
        given().options("/admin/stats").then().statusCode(204).header("Allow", "GET, HEAD, OPTIONS");
        given().options(ID + "/body").then().statusCode(204).header("Allow", "GET, HEAD, OPTIONS");
        given().options("/admin/cleanup").then().statusCode(204).header("Allow", "GET, HEAD, OPTIONS, POST");
        given().options("/entries").then().statusCode(204).header("Allow", "DELETE, GET, HEAD, OPTIONS, POST");
    }

    @Test
    void timesAreRfc3339DateTimesWithAnyOffset() {
        Db.clear();
        Entries.delete(Entries.create("GET https://example.com/t"));
        // +21:05 is beyond java.time's ±18:00 but a valid RFC 3339 offset; 't' and 'z' may be lower case.
        given().queryParam("state", "deleted").queryParam("deletedAfter", "2000-01-01T00:00:00+21:05")
                .get("/admin/entries").then().statusCode(200).body("$", hasSize(1));
        given().queryParam("state", "deleted").queryParam("deletedAfter", "2999-01-01t00:00:00.123456789123z")
                .get("/admin/entries").then().statusCode(200).body("$", hasSize(0));
        given().queryParam("state", "deleted").queryParam("deletedAfter", "2000-01-01T00:00:00+24:00")
                .get("/admin/entries").then().statusCode(400).body("field", equalTo("deletedAfter"));
        given().queryParam("state", "deleted").queryParam("deletedAfter", "2000-02-30T00:00:00Z")
                .get("/admin/entries").then().statusCode(400).body("field", equalTo("deletedAfter"));
    }
}
