package io.cachekeeper.cleanup;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Contract (docs/contract.md): {@code POST /admin/cleanup?dryRun=true} counts what a pass would purge and deletes nothing. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DryRunTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void dryRunCountsWithoutDeleting() {
        Db.seed(30, "p-", Seeded.PURGEABLE);
        Db.seed(20, "s-", Seeded.STALE);
        Db.seed(10, "l-", Seeded.LIVE);
        Db.seed(5, "d-", Seeded.DELETED);

        given().post("/admin/cleanup?dryRun=true").then().statusCode(200)
                .body("dryRun", equalTo(true))
                .body("purgedDeleted", equalTo(30))
                .body("purgedExpired", equalTo(20))
                .body("purged", equalTo(50))
                .body("completed", equalTo(true));
        assertEquals(65, Db.count("true"));

        given().get("/admin/cleanup").then().statusCode(200)
                .body("lastRun.dryRun", equalTo(true))
                .body("lastRun.purged", equalTo(50));
    }

    @Test
    void dryRunFlagMustBeABoolean() {
        given().post("/admin/cleanup?dryRun=maybe").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("dryRun"));
    }
}
