package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The route rules are written twice, in Java ({@link Route}) and in SQL ({@code cache_route},
 * {@code cache_id_route}, migration V11), because Citus prunes shards by the SQL form while the service makes
 * ids by the Java one: both must agree on every key and id. The service's ids name their key's route, and the
 * insert writes the route of the key.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RouteTest {

    private static final List<String> KEYS = List.of("", "GET https://example.com/a", "GET https://example.com/a?b=c&d=é",
            "POST https://例え.jp/パス", "emoji 😀 key", "x".repeat(9000), "\\ ' \" %");

    @Test
    void javaAndSqlGiveEveryKeyAndIdTheSameRoute() throws SQLException {
        try (Connection c = Db.connect();
                PreparedStatement byKey = c.prepareStatement("SELECT cache_route(?)");
                PreparedStatement byId = c.prepareStatement("SELECT cache_id_route(?::uuid)")) {
            Set<Integer> routes = new HashSet<>();
            for (String key : KEYS) {
                byKey.setString(1, key);
                assertEquals(Route.ofKey(key), one(byKey), key);
                routes.add(Route.ofKey(key));
                UUID id = Route.newId(key);
                byId.setString(1, id.toString());
                assertEquals(Route.ofId(id), one(byId), id.toString());
                assertEquals(Route.ofKey(key), Route.ofId(id));
                assertTrue(Route.routes(id, key));
                assertEquals(8, id.version(), id.toString());
                assertEquals(2, id.variant(), id.toString());
            }
            assertEquals(KEYS.size(), routes.size(), "different keys, different routes");
            UUID random = UUID.fromString("ffffffff-0000-4000-8000-000000000000");
            byId.setString(1, random.toString());
            assertEquals(-1, one(byId));
            assertEquals(-1, Route.ofId(random));
        }
        assertNotEquals(Route.newId("k"), Route.newId("k"));
    }

    @Test
    void anEntryTheServiceMakesHasAnIdThatNamesTheRouteItIsWrittenWith() {
        Db.clear();
        String id = Entries.create("GET https://example.com/routed");
        assertTrue(Route.routes(UUID.fromString(id), "GET https://example.com/routed"), id);
        assertEquals(1, Db.count("id = '" + id + "' AND route = cache_route(cache_key) AND cache_id_route(id) = route"));
        given().get("/entries/" + id).then().statusCode(200);
    }

    private static int one(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
