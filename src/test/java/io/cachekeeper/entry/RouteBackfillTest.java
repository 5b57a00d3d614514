package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A store from before V11 holds rows without a route, which the key-addressed statements now name on PostgreSQL too:
 * V13 gives them theirs, and their key finds them again.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RouteBackfillTest {

    @Test
    void v13GivesOlderRowsTheirRouteAndTheirKeyFindsThem() throws IOException {
        Db.clear();
        String id = "0b8e1a52-0000-4000-8000-000000000013";
        Db.exec("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status, response_body)"
                + " VALUES ('" + id + "', 'old-k', 'GET', 'https://old/', 200, '\\x00')");
        given().queryParam("key", "old-k").get("/entries")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));

        Db.exec(migration());

        assertEquals(Route.ofKey("old-k"), Db.queryLong("SELECT route FROM cache_entry WHERE id = '" + id + "'"));
        given().queryParam("key", "old-k").get("/entries")
                .then().statusCode(200).body("[0].id", org.hamcrest.Matchers.is(id));
    }

    private static String migration() throws IOException {
        try (InputStream in = RouteBackfillTest.class.getClassLoader()
                .getResourceAsStream("db/migration/V13__route_everywhere.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
