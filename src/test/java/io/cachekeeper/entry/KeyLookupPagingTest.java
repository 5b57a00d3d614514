package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Contract (docs/contract.md): a key lookup is paged ({@code limit}, {@code Link: rel="next"}) and can leave bodies out. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeyLookupPagingTest {

    private static final String KEY = "GET https://example.com/hot";
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    @BeforeEach
    void seed() {
        Db.clear();
        // 250 live entries under one key, several sharing a created_at (the cursor must break ties by id),
        // plus deleted ones that only includeDeleted shows.
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body,"
                + " created_at) SELECT " + Db.routedId("'" + KEY + "'") + ", cache_route('" + KEY + "'), '" + KEY
                + "', 'GET', 'https://example.com/hot', 200,"
                + " convert_to('body ' || i, 'UTF8'), timestamptz '2026-01-01' + (i / 3) * interval '1 second'"
                + " FROM generate_series(1, 250) AS i");
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body,"
                + " created_at, deleted_at) SELECT " + Db.routedId("'" + KEY + "'") + ", cache_route('" + KEY + "'), '" + KEY
                + "', 'GET', 'https://example.com/hot', 200,"
                + " '\\x00', timestamptz '2026-01-01' + i * interval '1 second', now() FROM generate_series(1, 30) AS i");
    }

    @Test
    void pagesFollowTheLinkUntilTheLastOneAndSeeEveryEntryOnceInOrder() {
        List<String> seen = new ArrayList<>();
        String url = "/entries?key=" + KEY.replace(" ", "%20") + "&limit=100";
        List<Integer> sizes = new ArrayList<>();
        while (url != null) {
            Response page = given().urlEncodingEnabled(false).get(url);
            page.then().statusCode(200);
            List<String> ids = page.path("id");
            sizes.add(ids.size());
            seen.addAll(ids);
            url = next(page);
        }
        assertEquals(List.of(100, 100, 50), sizes);
        String expected = Db.queryString("SELECT string_agg(id::text, ',' ORDER BY created_at, id) FROM cache_entry"
                + " WHERE deleted_at IS NULL");
        assertEquals(expected, String.join(",", seen), "every live entry once, oldest first");
    }

    @Test
    void defaultPageIs100AndTheLastPageHasNoLink() {
        Response first = given().queryParam("key", KEY).get("/entries");
        first.then().statusCode(200).body("$", hasSize(100));
        assertNotNull(next(first));
        Response all = given().queryParam("key", KEY).queryParam("limit", 1000).get("/entries");
        all.then().statusCode(200).body("$", hasSize(250));
        assertNull(next(all));
    }

    @Test
    void theLinkKeepsTheFlags() {
        Response first = given().queryParam("key", KEY).queryParam("includeDeleted", true).queryParam("limit", 200)
                .get("/entries");
        first.then().statusCode(200).body("$", hasSize(200));
        Response second = given().urlEncodingEnabled(false).get(next(first));
        second.then().statusCode(200).body("$", hasSize(80));
    }

    @Test
    void includeBodyFalseLeavesBodiesOut() {
        given().queryParam("key", KEY).queryParam("limit", 5).queryParam("includeBody", false).get("/entries")
                .then().statusCode(200)
                .body("$", hasSize(5))
                .body("[0].response", not(hasKey("body")))
                .body("[0].response.status", org.hamcrest.Matchers.equalTo(200))
                .body("[0].state", org.hamcrest.Matchers.equalTo("live"));
        given().queryParam("key", KEY).queryParam("limit", 1).get("/entries")
                .then().statusCode(200).body("[0].response.body", not(nullValue()));
    }

    /** A page stops once it carries 16 MiB of bodies (at least one entry): 6 MiB bodies come 3 per page. */
    @Test
    void pagesOfLargeBodiesStopAtTheByteCap() {
        Db.clear();
        String big = "GET https://example.com/big";
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body,"
                + " created_at) SELECT " + Db.routedId("'" + big + "'") + ", cache_route('" + big + "'), '" + big
                + "', 'GET', 'https://example.com/big', 200,"
                + " convert_to(repeat('b', 6 * 1024 * 1024), 'UTF8'), timestamptz '2026-01-01' + i * interval '1 second'"
                + " FROM generate_series(1, 5) AS i");
        Response first = given().queryParam("key", big).get("/entries");
        first.then().statusCode(200).body("$", hasSize(3));
        assertNotNull(next(first), "the cut page links to the rest");
        Response second = given().urlEncodingEnabled(false).get(next(first));
        second.then().statusCode(200).body("$", hasSize(2));
        assertNull(next(second));
        given().queryParam("key", big).queryParam("includeBody", false).get("/entries")
                .then().statusCode(200).body("$", hasSize(5));
    }

    /**
     * Small bodies come with the first step; one over its share (16 MiB / limit) sends the lookup to the
     * capped statement, which still carries every body while the page is under 16 MiB.
     */
    @Test
    void aBodyOverTheFirstStepsShareStillComesAlongUnderTheCap() {
        Db.clear();
        String mixed = "GET https://example.com/mixed";
        // Three 100-byte bodies around one of 400,000 bytes: over 16 MiB / 100 (167,772), far under 16 MiB.
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body,"
                + " created_at) SELECT " + Db.routedId("'" + mixed + "'") + ", cache_route('" + mixed + "'), '" + mixed
                + "', 'GET', 'https://example.com/mixed', 200,"
                + " convert_to(repeat(chr(96 + i), CASE WHEN i = 2 THEN 400000 ELSE 100 END), 'UTF8'),"
                + " timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, 4) AS i");
        Response page = given().queryParam("key", mixed).get("/entries");
        page.then().statusCode(200).body("$", hasSize(4));
        List<Integer> sizes = new ArrayList<>();
        for (String body : page.jsonPath().getList("response.body", String.class)) {
            sizes.add(java.util.Base64.getDecoder().decode(body).length);
        }
        assertEquals(List.of(100, 400_000, 100, 100), sizes);
        assertNull(next(page));
        // With a limit of 1000 the share is 16,777 bytes: a 100-byte body still comes with the first step.
        given().queryParam("key", mixed).queryParam("limit", 1000).get("/entries")
                .then().statusCode(200).body("$", hasSize(4)).body("[3].response.body", not(nullValue()));
    }

    private static String next(Response page) {
        String link = page.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        return m.find() ? m.group(1) : null;
    }
}
