package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Contract (docs/contract.md): restore undoes a soft delete inside the grace period: 200, 409 not deleted, 410 grace over, 404.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RestoreTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void restoreInsideGraceMakesTheEntryLiveAgain() {
        String id = Entries.create("r");
        Entries.delete(id).then().statusCode(200);
        given().get("/entries?key=r").then().body("$", hasSize(0));

        Entries.restore(id).then().statusCode(200)
                .body("state", equalTo("live"))
                .body("deletedAt", nullValue())
                .body("purgeAfter", nullValue());
        given().get("/entries?key=r").then().body("$", hasSize(1));
        // and a pass leaves it alone
        Entries.cleanup().then().body("purged", equalTo(0));
        Entries.get(id).then().statusCode(200);
    }

    @Test
    void restoreOfALiveEntryIs409() {
        String id = Entries.create("r");
        Entries.restore(id).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void restoreOfAnExpiredEntryIs409() {
        Map<String, Object> body = Entries.body("r");
        body.put("ttlSeconds", 0);
        String id = Entries.create(body);
        Entries.restore(id).then().statusCode(409);
    }

    @Test
    void restoreAfterTheGracePeriodIs410() {
        String id = Entries.create("r");
        Entries.delete(id).then().statusCode(200);
        Entries.backdateDeletion(id, 3601);
        Entries.restore(id).then().statusCode(410).contentType("application/problem+json")
                .body("status", equalTo(410));
        Entries.get(id).then().body("state", equalTo("purgeable"));
    }

    @Test
    void restoreOfAPurgedOrUnknownEntryIs404() {
        String id = Entries.create("r");
        Entries.delete(id);
        Entries.backdateDeletion(id, 7200);
        Entries.cleanup().then().body("purged", equalTo(1));
        Entries.restore(id).then().statusCode(404);
        Entries.restore(UUID.randomUUID().toString()).then().statusCode(404);
    }
}
