package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Thousands of requests must not leave thousands of objects behind: no query-plan cache, statement
 * cache or anything else of the service may grow with traffic. (Hibernate's plan cache once gained an
 * entry per call of a native query.) The service runs in this JVM, so a live-object class histogram
 * (a full GC first) taken after a warm-up and again after 1,500 more varied requests shows growth.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class NoGrowingCacheTest {

    private static final int ROUNDS = 150; // 10 requests per round

    @Test
    void liveObjectsDoNotGrowWithRequests() throws Exception {
        Db.clear();
        traffic(ROUNDS);
        Map<String, Long> before = histogram();
        traffic(ROUNDS);
        Map<String, Long> after = histogram();

        StringBuilder grown = new StringBuilder();
        after.forEach((cls, count) -> {
            long growth = count - before.getOrDefault(cls, 0L);
            boolean ours = cls.startsWith("org.hibernate") || cls.startsWith("io.vertx.sqlclient")
                    || cls.startsWith("io.vertx.pgclient") || cls.startsWith("io.cachekeeper")
                    || cls.startsWith("org.jboss.resteasy") || cls.startsWith("io.smallrye.mutiny");
            // One object per request (1,500) would be growth; allow what a few pooled connections explain.
            if (ours && growth > ROUNDS / 3) {
                grown.append(cls).append(": ").append(before.getOrDefault(cls, 0L)).append(" -> ").append(count)
                        .append('\n');
            }
        });
        assertTrue(after.size() > 500, "the histogram was read");
        assertTrue(grown.isEmpty(), "objects that grew with 1,500 requests:\n" + grown);
        for (String planCache : new String[] { "org.hibernate.query.sql.spi.SelectInterpretationsKey",
                "org.hibernate.reactive.query.sql.internal.ReactiveNativeSelectQueryPlanImpl" }) {
            assertTrue(after.getOrDefault(planCache, 0L) < 50, planCache + ": " + after.get(planCache));
        }
    }

    /** Every endpoint, with values that differ per call (keys, ids, flags, cursors, If-Match). */
    private static void traffic(int rounds) {
        for (int i = 0; i < rounds; i++) {
            String key = "GET https://example.com/" + UUID.randomUUID();
            String id = Entries.create(key);
            given().queryParam("key", key).queryParam("includeDeleted", i % 2 == 0).queryParam("limit", 1 + i % 7)
                    .get("/entries").then().statusCode(200);
            Entries.get(id).then().statusCode(200);
            given().contentType(ContentType.JSON).body(Entries.body(key)).header("If-Match", "\"1\"")
                    .put("/entries/" + id).then().statusCode(200);
            given().post("/entries/" + id + "/refresh").then().statusCode(200);
            given().header("If-Match", "\"1\"").delete("/entries/" + id).then().statusCode(412);
            Entries.delete(id).then().statusCode(200);
            Entries.restore(id).then().statusCode(200);
            given().queryParam("key", key).delete("/entries").then().statusCode(200);
            given().queryParam("urlPrefix", "https://nowhere.example/" + i).delete("/entries").then().statusCode(200);
        }
    }

    /** Live instances per class, from the JVM's own GC.class_histogram (which runs a full GC first). */
    private static Map<String, Long> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] { new String[0] }, new String[] { String[].class.getName() });
        Map<String, Long> counts = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                counts.merge(f[3], Long.parseLong(f[1]), Long::sum);
            }
        }
        return counts;
    }
}
