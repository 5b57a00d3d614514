package io.cachekeeper.recyclebin;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One view of an entry: reading it by id, by key and through the recycle bin gives the same JSON, for a body in
 * the row and for one uploaded as bytes (the three read rows by the one row mapping, which
 * EntryColumnsCoverTheTableTest holds to the table).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OneViewTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void anInlineBodyReadsTheSameEveryWay() {
        sameEveryWay(Entries.create("GET https://example.com/one"), "GET https://example.com/one");
    }

    @Test
    void aStreamedBodyReadsTheSameEveryWay() {
        String key = "GET https://example.com/streamed";
        sameEveryWay(Entries.create(Entries.streamed(key, Entries.upload(key, new byte[400_000]))), key);
    }

    private static void sameEveryWay(String id, String key) {
        Map<String, Object> byId = given().get("/entries/" + id).then().statusCode(200).extract().jsonPath().getMap("$");
        List<Map<String, Object>> byKey = given().queryParam("key", key).get("/entries").then().statusCode(200)
                .extract().jsonPath().getList("$");
        List<Map<String, Object>> inBin = given().queryParam("key", key).queryParam("state", "live")
                .queryParam("includeBody", true).get("/admin/entries").then().statusCode(200).extract().jsonPath()
                .getList("$");
        assertEquals(List.of(byId), byKey);
        assertEquals(List.of(byId), inBin);
    }
}
