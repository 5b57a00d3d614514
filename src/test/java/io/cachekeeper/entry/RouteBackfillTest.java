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
 * A store from before V11 holds rows without a route, and one an earlier version wrote may hold a route its key no
 * longer has, where the key-addressed statements now name the route on PostgreSQL too: V13 gives every row its
 * key's, and the key finds them again.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RouteBackfillTest {

    @Test
    void v13GivesOlderRowsTheirRouteAndTheirKeyFindsThem() throws IOException {
        Db.clear();
        String id = "0b8e1a52-0000-4000-8000-000000000013";
        String moved = "0b8e1a52-0000-4000-8000-000000000014";
        Db.exec("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status, response_body)"
                + " VALUES ('" + id + "', 'old-k', 'GET', 'https://old/', 200, '\\x00')");
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body)"
                + " VALUES ('" + moved + "', cache_route('before-the-move'), 'old-k', 'GET', 'https://old/2', 200, '\\x00')");
        given().queryParam("key", "old-k").get("/entries")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.is(0));

        Db.exec(migration());

        assertEquals(Route.ofKey("old-k"), Db.queryLong("SELECT route FROM cache_entry WHERE id = '" + id + "'"));
        assertEquals(Route.ofKey("old-k"), Db.queryLong("SELECT route FROM cache_entry WHERE id = '" + moved + "'"));
        given().queryParam("key", "old-k").get("/entries").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.containsInAnyOrder(id, moved));
    }

    private static String migration() throws IOException {
        try (InputStream in = RouteBackfillTest.class.getClassLoader()
                .getResourceAsStream("db/migration/V13__route_everywhere.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
