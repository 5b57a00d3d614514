package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Key lookups share the lookups' own connections (database/PipelinedReads) instead of leasing one of the
 * pool's per call: after many concurrent lookups, at most {@code read-connections} (2) backends have
 * run one, and they are the service's sessions, named as the pool's are. With a connection per call,
 * 16 concurrent callers leave lookups on many of the pool's 20 backends.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeyLookupsArePipelinedTest {

    /** A fragment only the key lookup with bodies has (its first step's share of the byte cap). */
    private static final String LOOKUP = "query LIKE '%octet\\_length(response\\_body) <= %' AND pid <> pg_backend_pid()";

    @Test
    void concurrentLookupsShareAtMostTheReadConnections() throws Exception {
        Db.clear();
        Db.seed(200, "pipe-", Seeded.LIVE);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                String key = "pipe-" + i % 50;
                answers.add(callers.submit(() -> given().queryParam("key", key).get("/entries").statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get());
            }
        } finally {
            callers.shutdown();
        }
        long backends = Db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE " + LOOKUP);
        assertTrue(backends >= 1 && backends <= 2, backends + " backends ran key lookups");
        assertEquals(0, Db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE " + LOOKUP
                + " AND application_name <> 'cachekeeper'"), "the lookups' sessions are named as the pool's");
    }
}
