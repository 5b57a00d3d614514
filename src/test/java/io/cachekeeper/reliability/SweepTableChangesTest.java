package io.cachekeeper.reliability;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Passes;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The heap sweep while the table changes under it: rows appended (new pages after the pass started)
 * and VACUUM truncating an emptied tail. The pass must neither fail nor touch what is not eligible,
 * and what it could not reach in time the next pass purges.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SweepTableChangesTest {

    @Test
    void growingAndShrinkingTableDuringAPass() throws Exception {
        Db.clear();
        Db.seed(20_000, "p-", Seeded.PURGEABLE);
        Db.seed(2_000, "l-", Seeded.LIVE);
        // The tail of the table: rows that a writer deletes for good, so VACUUM can truncate those pages.
        Db.exec("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status, response_body)"
                + " SELECT gen_random_uuid(), 'tail-' || i, 'GET', 'https://example.com/t', 200, '\\x00'"
                + " FROM generate_series(1, 20000) AS i");

        AtomicBoolean passRunning = new AtomicBoolean(true);
        CompletableFuture<Response> pass = CompletableFuture.supplyAsync(() -> {
            try {
                return Passes.smallHeapSweep();
            } finally {
                passRunning.set(false);
            }
        });
        int appended = 0;
        boolean truncated = false;
        while (passRunning.get() || appended == 0) {
            Db.seed(500, "new-", Seeded.LIVE); // grows the table past the pages the sweep started with
            appended += 500;
            if (!truncated) {
                Db.exec("DELETE FROM cache_entry WHERE cache_key LIKE 'tail-%'");
                Db.exec("VACUUM cache_entry"); // may truncate the emptied tail while the sweep runs
                truncated = true;
            }
        }
        pass.get().then().statusCode(200).body("completed", equalTo(true));

        // Whatever the first pass could not reach, the next one purges; nothing else is ever touched.
        Passes.smallHeapSweep().then().statusCode(200).body("completed", equalTo(true));
        assertEquals(0, Db.count("cache_key LIKE 'p-%'"));
        assertEquals(2_000, Db.count("cache_key LIKE 'l-%'"));
        assertEquals(appended, Db.count("cache_key LIKE 'new-%'"));
    }
}
