package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Times;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Contract (docs/contract.md): {@code DELETE /entries?key=K} soft-deletes every live entry under K and says how many. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DeleteByKeyTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void softDeletesOnlyTheLiveEntriesOfThatKey() {
        String a = Entries.create("k");
        String b = Entries.create("k");
        String alreadyDeleted = Entries.create("k");
        Entries.delete(alreadyDeleted);
        Db.exec("UPDATE cache_entry SET deleted_at = " + Times.secondsAfter("deleted_at", "-600") + " WHERE id = '"
                + alreadyDeleted + "'");
        String firstDeletedAt = Db.queryString("SELECT deleted_at::text FROM cache_entry WHERE id = '" + alreadyDeleted + "'");
        Map<String, Object> body = Entries.body("k");
        body.put("ttlSeconds", 0);
        String expired = Entries.create(body);
        String other = Entries.create("other");

        given().delete("/entries?key=k").then().statusCode(200).body("deleted", equalTo(2));

        Entries.get(a).then().body("state", equalTo("deleted"));
        Entries.get(b).then().body("state", equalTo("deleted"));
        Entries.get(expired).then().body("state", equalTo("expired"));
        Entries.get(other).then().body("state", equalTo("live"));
        // the grace period of an entry deleted earlier is not extended
        assertEquals(firstDeletedAt,
                Db.queryString("SELECT deleted_at::text FROM cache_entry WHERE id = '" + alreadyDeleted + "'"));
        // rows stay in the table (soft delete)
        assertEquals(5, Db.count("true"));

        given().delete("/entries?key=k").then().statusCode(200).body("deleted", equalTo(0));
    }

    @Test
    void keyIsRequired() {
        given().delete("/entries").then().statusCode(400).body("field", equalTo("key"));
    }

    @Test
    void deleteOfAnUnknownIdIs404() {
        given().delete("/entries/" + java.util.UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
