package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Contract (docs/contract.md): {@code DELETE /entries?urlPrefix=P} soft-deletes every live entry whose URL starts with P,
 * literally.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UrlPrefixInvalidationTest {

    @BeforeEach
    void clear() {
        Db.clear();
    }

    private static String store(String url) {
        Map<String, Object> body = Entries.body("GET " + url);
        body.put("request", Map.of("method", "GET", "url", url));
        return Entries.create(body);
    }

    @Test
    void softDeletesTheLiveEntriesUnderThePrefixAndTheyStayRestorable() {
        String a = store("https://shop.example/api/items/1");
        String b = store("https://shop.example/api/items/2?x=1");
        String other = store("https://shop.example/static/app.js");
        String elsewhere = store("https://other.example/api/items/1");
        String alreadyDeleted = store("https://shop.example/api/items/3");
        Entries.delete(alreadyDeleted);

        given().queryParam("urlPrefix", "https://shop.example/api/").delete("/entries")
                .then().statusCode(200).body("deleted", equalTo(2));

        Entries.get(a).then().body("state", equalTo("deleted"));
        Entries.get(b).then().body("state", equalTo("deleted"));
        Entries.get(other).then().body("state", equalTo("live"));
        Entries.get(elsewhere).then().body("state", equalTo("live"));
        Entries.restore(a).then().statusCode(200).body("state", equalTo("live"));
    }

    @Test
    void percentAndUnderscoreAreNotWildcards() {
        String literal = store("https://x.example/a%b_c/1");
        String lookalike = store("https://x.example/aXbYc/1");
        given().queryParam("urlPrefix", "https://x.example/a%b_c").delete("/entries")
                .then().statusCode(200).body("deleted", equalTo(1));
        Entries.get(literal).then().body("state", equalTo("deleted"));
        Entries.get(lookalike).then().body("state", equalTo("live"));
        given().queryParam("urlPrefix", "%").delete("/entries").then().statusCode(200).body("deleted", equalTo(0));
    }

    @Test
    void nonAsciiAndHighestCodePointPrefixesMatchExactly() {
        String accented = store("https://x.example/caf\u00e9/menu");
        String next = store("https://x.example/caf\u00ea/menu");
        String top = store("https://x.example/\uDBFF\uDFFF/z");
        given().queryParam("urlPrefix", "https://x.example/caf\u00e9").delete("/entries")
                .then().statusCode(200).body("deleted", equalTo(1));
        Entries.get(accented).then().body("state", equalTo("deleted"));
        Entries.get(next).then().body("state", equalTo("live"));
        given().queryParam("urlPrefix", "https://x.example/\uDBFF\uDFFF").delete("/entries")
                .then().statusCode(200).body("deleted", equalTo(1));
        Entries.get(top).then().body("state", equalTo("deleted"));
    }

    @Test
    void isServedByTheUrlIndexNotATableScan() throws Exception {
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body)"
                + " SELECT " + Db.routedId("'k' || i")
                + ", cache_route('k' || i), 'k' || i, 'GET', 'https://site' || i || '.example/p', 200, '\\x00'"
                + " FROM generate_series(1, 20000) AS i");
        Db.exec("ANALYZE cache_entry");
        // The shape of the service's statement, planned as a prepared statement is (generic plan).
        StringBuilder plan = new StringBuilder();
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE invalidate(text, text) AS UPDATE cache_entry SET deleted_at = now()"
                    + " WHERE deleted_at IS NULL AND (request_url COLLATE \"C\") >= $1 AND starts_with(request_url, $1)"
                    + " AND (expires_at IS NULL OR expires_at > now()) AND (request_url COLLATE \"C\") < $2");
            try (ResultSet rs = s
                    .executeQuery("EXPLAIN EXECUTE invalidate('https://site42.example/', 'https://site42.example0')")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        assertTrue(plan.toString().contains("cache_entry_url_prefix_idx"), plan.toString());
        assertTrue(!plan.toString().contains("Seq Scan"), plan.toString());
    }
}
