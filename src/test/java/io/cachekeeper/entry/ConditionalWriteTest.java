package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Contract (docs/contract.md): every entry carries a version, sent as the ETag; the writes on one entry honour If-Match. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConditionalWriteTest {

    private String id;

    @BeforeEach
    void seed() {
        Db.clear();
        id = Entries.create("GET https://example.com/v");
    }

    @Test
    void everyOneEntryAnswerCarriesTheVersionAsEtagAndWritesBumpIt() {
        Response created = Entries.post(Entries.body("k2"));
        created.then().statusCode(201).header("ETag", "\"1\"").body("version", equalTo(1));
        Entries.get(id).then().statusCode(200).header("ETag", "\"1\"").body("version", equalTo(1));
        given().post("/entries/" + id + "/refresh").then().statusCode(200).header("ETag", "\"2\"");
        put(id, null).then().statusCode(200).header("ETag", "\"3\"").body("version", equalTo(3));
        Entries.delete(id).then().statusCode(200).header("ETag", "\"4\"");
        Entries.delete(id).then().statusCode(200).header("ETag", "\"4\""); // idempotent: no new version
        Entries.restore(id).then().statusCode(200).header("ETag", "\"5\"").body("state", equalTo("live"));
    }

    @Test
    void aMismatchAnswers412AndChangesNothingOnEachWrite() {
        String before = row();
        put(id, "\"7\"").then().statusCode(412).contentType("application/problem+json")
                .body("field", equalTo("If-Match"));
        given().header("If-Match", "\"7\"").post("/entries/" + id + "/refresh").then().statusCode(412);
        given().header("If-Match", "\"7\"").delete("/entries/" + id).then().statusCode(412);
        given().header("If-Match", "W/\"1\"").delete("/entries/" + id).then().statusCode(412); // weak never matches
        // A comma inside a quoted tag belongs to the tag (RFC 9110): one tag, which no version matches.
        given().header("If-Match", "\"1,2\"").delete("/entries/" + id).then().statusCode(412);
        given().header("If-Match", "\"x\", W/\"1\"").delete("/entries/" + id).then().statusCode(412);
        assertEquals(before, row());
        Entries.delete(id).then().statusCode(200);
        String deleted = row();
        given().header("If-Match", "\"1\"").post("/entries/" + id + "/restore").then().statusCode(412);
        assertEquals(deleted, row());
    }

    @Test
    void aMatchingVersionOrStarOrAListProceeds() {
        put(id, "\"1\"").then().statusCode(200).header("ETag", "\"2\"");
        given().header("If-Match", "\"a,b\" , ,\"9\",\"2\"").post("/entries/" + id + "/refresh").then().statusCode(200)
                .header("ETag", "\"3\"");
        given().header("If-Match", "*").delete("/entries/" + id).then().statusCode(200);
        given().header("If-Match", "\"4\"").post("/entries/" + id + "/restore").then().statusCode(200);
    }

    @Test
    void stateErrorsStillComeAfterTheVersionCheck() {
        Entries.delete(id).then().statusCode(200);
        put(id, "\"2\"").then().statusCode(409);
        given().header("If-Match", "\"1\"").get("/entries/" + id).then().statusCode(200); // reads ignore it
        given().header("If-Match", "\"1\"").post("/entries/00000000-0000-4000-8000-000000000000/refresh")
                .then().statusCode(404);
    }

    /** Two clients read version 1 and race to replace it: exactly one wins, the other gets 412. */
    @Test
    void ofRacingReadModifyWritesExactlyOneWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String version = Entries.get(id).header("ETag");
            int clients = 4;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Callable<Integer> write = () -> {
                    start.await();
                    return put(id, version).statusCode();
                };
                answers.add(pool.submit(write));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : answers) {
                codes.add(f.get());
            }
            pool.shutdown();
            assertEquals(1, codes.stream().filter(c -> c == 200).count(), "round " + round + ": " + codes);
            assertEquals(clients - 1, codes.stream().filter(c -> c == 412).count(), "round " + round + ": " + codes);
        }
        Entries.get(id).then().body("version", equalTo(21));
    }

    private static Response put(String id, String ifMatch) {
        Map<String, Object> body = Entries.body("GET https://example.com/v");
        var request = given().contentType(ContentType.JSON).body(body);
        if (ifMatch != null) {
            request = request.header("If-Match", ifMatch);
        }
        return request.put("/entries/" + id);
    }

    private String row() {
        return Db.queryString("SELECT t::text FROM cache_entry t WHERE id = '" + id + "'");
    }
}
