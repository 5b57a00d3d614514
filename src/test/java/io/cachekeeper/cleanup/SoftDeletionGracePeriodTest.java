package io.cachekeeper.cleanup;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Contract (docs/contract.md): a soft-deleted entry stays for the grace period (1h by default), then a pass purges it. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SoftDeletionGracePeriodTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void deletedEntrySurvivesPassesInsideGraceAndIsPurgedAfter() {
        String id = Entries.create("GET https://example.com/grace");

        Entries.delete(id).then().statusCode(200)
                .body("state", equalTo("deleted"))
                .body("deletedAt", notNullValue())
                .body("purgeAfter", notNullValue());
        // Still in the table, marked, not gone.
        assertEquals(1, Db.count("id = '" + id + "' AND deleted_at IS NOT NULL"));

        // A pass inside the grace period keeps it (59 minutes into the 1h grace period).
        Entries.backdateDeletion(id, 59 * 60);
        Entries.cleanup().then().statusCode(200).body("purged", equalTo(0)).body("completed", equalTo(true));
        Entries.get(id).then().statusCode(200).body("state", equalTo("deleted"));
        assertEquals(1, Db.count("id = '" + id + "'"));

        // Once the grace period is over the entry is purgeable, still visible by id ...
        Entries.backdateDeletion(id, 61);
        Entries.get(id).then().statusCode(200).body("state", equalTo("purgeable"));

        // ... and the next pass removes it for good.
        Entries.cleanup().then().statusCode(200)
                .body("purgedDeleted", equalTo(1)).body("purged", equalTo(1));
        assertEquals(0, Db.count("id = '" + id + "'"));
        Entries.get(id).then().statusCode(404);
    }

    @Test
    void deletingTwiceKeepsTheFirstDeletedAt() {
        String id = Entries.create("GET https://example.com/twice");
        String first = Entries.delete(id).then().statusCode(200).extract().path("deletedAt");
        assertNotNull(first);
        Entries.delete(id).then().statusCode(200).body("deletedAt", equalTo(first));
    }
}
