package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Times;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Contract (docs/contract.md): {@code GET /entries?key=K} lists the entries under K, oldest first, live only unless asked. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeyLookupTest {

    private static final String KEY = "GET https://example.com/list?q=1";

    private String live;
    private String older;
    private String deleted;
    private String expired;
    private String purgeable;

    @BeforeEach
    void seed() {
        Db.clear();
        live = Entries.create(KEY);
        older = Entries.create(KEY);
        Db.exec("UPDATE cache_entry SET created_at = " + Times.secondsAfter("created_at", "-86400") + " WHERE id = '"
                + older + "'");
        deleted = Entries.create(KEY);
        Entries.delete(deleted);
        Map<String, Object> body = Entries.body(KEY);
        body.put("ttlSeconds", 0);
        expired = Entries.create(body);
        purgeable = Entries.create(KEY);
        Entries.delete(purgeable);
        Entries.backdateDeletion(purgeable, 3601);
        Entries.create("GET https://example.com/other");
    }

    @Test
    void liveOnlyOldestFirst() {
        given().get("/entries?key=" + KEY).then().statusCode(200)
                .body("id", contains(older, live))
                .body("state", contains("live", "live"));
    }

    @Test
    void includeDeletedAddsEntriesInsideTheirGracePeriod() {
        given().queryParam("key", KEY).queryParam("includeDeleted", "true").get("/entries").then().statusCode(200)
                .body("id", containsInAnyOrder(older, live, deleted))
                .body("id[0]", equalTo(older));
    }

    @Test
    void includeExpiredAddsExpiredEntries() {
        given().queryParam("key", KEY).queryParam("includeExpired", "true").get("/entries").then().statusCode(200)
                .body("id", containsInAnyOrder(older, live, expired));
    }

    @Test
    void bothFlagsStillHidePurgeableEntries() {
        given().queryParam("key", KEY).queryParam("includeExpired", "true").queryParam("includeDeleted", "true")
                .get("/entries").then().statusCode(200)
                .body("$", hasSize(4))
                .body("id", containsInAnyOrder(older, live, expired, deleted));
        Entries.get(purgeable).then().statusCode(200).body("state", equalTo("purgeable"));
    }

    @Test
    void unknownKeyIsAnEmptyList() {
        given().get("/entries?key=nothing-here").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void keysAreMatchedExactlyEvenWithSqlMetacharacters() {
        String weird = "GET https://example.com/%' OR '1'='1 ; -- ünïcødé ✓";
        String id = Entries.create(weird);
        given().queryParam("key", weird).get("/entries").then().statusCode(200).body("id", contains(id));
        given().queryParam("key", "%").get("/entries").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void missingKeyIs400NamingIt() {
        given().get("/entries").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("key"));
        given().get("/entries?key=" + KEY + "&includeDeleted=yes").then().statusCode(400)
                .body("field", equalTo("includeDeleted"));
    }
}
