package io.cachekeeper.admin;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Contract (docs/contract.md): {@code GET /admin/stats} counts entries by lifecycle state. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StatsTest {

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void countsEachState() {
        Db.seed(7, "l-", Seeded.LIVE);
        Db.seed(5, "e-", Seeded.EXPIRED);
        Db.seed(3, "s-", Seeded.STALE);
        Db.seed(4, "d-", Seeded.DELETED);
        Db.seed(2, "p-", Seeded.PURGEABLE);

        given().get("/admin/stats").then().statusCode(200)
                .body("total", equalTo(21))
                .body("live", equalTo(7))
                .body("expired", equalTo(8))
                .body("deleted", equalTo(4))
                .body("purgeable", equalTo(2))
                // Db.seed stores 100-byte bodies
                .body("bodyBytes.total", equalTo(2100))
                .body("bodyBytes.live", equalTo(700))
                .body("bodyBytes.expired", equalTo(800))
                .body("bodyBytes.deleted", equalTo(400))
                .body("bodyBytes.purgeable", equalTo(200))
                .body("caps.maxEntries", nullValue())
                .body("caps.maxTotalSize", nullValue());
    }

    @Test
    void emptyStore() {
        given().get("/admin/stats").then().statusCode(200)
                .body("total", equalTo(0)).body("live", equalTo(0)).body("purgeable", equalTo(0));
    }
}
