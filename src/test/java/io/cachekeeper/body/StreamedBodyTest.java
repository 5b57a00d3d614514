package io.cachekeeper.body;

import static io.cachekeeper.support.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Api;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Bodies uploaded and read as bytes (issue 30): byte-identical round trips in chunks, ranges, never half an
 * entry (an upload cut off or over the limit leaves nothing; only a finished upload of the entry's key is
 * taken), a reader racing a replace reads one version whole, and the purge takes the chunks with their entry
 * or, for a body no entry holds, after the upload timeout. Chunks of 4 KiB, so that every body here spans many.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(StreamedBodyTest.SmallChunks.class)
class StreamedBodyTest {

    static final int CHUNK = 4096;
    static final int MAX = 1 << 20;

    public static class SmallChunks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cachekeeper.streamed-bodies.chunk-size", "4K", "cachekeeper.streamed-bodies.max-size", "1M");
        }
    }

    @BeforeEach
    void clear() {
        Db.clear();
    }

    @Test
    void aBodyUploadedAsBytesReadsBackByteIdenticalWholeAndInRanges() {
        byte[] bytes = random(100_003, 1);
        String id = Entries.create(
                Entries.streamed("GET https://example.com/video", Entries.upload("GET https://example.com/video", bytes)));
        Entries.get(id).then().statusCode(200).body("response.body", nullValue()).body("response.bodySize", equalTo(100_003));
        assertEquals(25, Db.queryLong("SELECT count(*) FROM cache_body_chunk"));

        Response whole = given().get("/entries/" + id + "/body");
        whole.then().statusCode(200).header("Content-Length", "100003").header("Transfer-Encoding", nullValue())
                .header("ETag", "\"1\"")
                .header("Accept-Ranges", "bytes").contentType("application/octet-stream");
        assertArrayEquals(bytes, whole.asByteArray());

        Response middle = given().header("Range", "bytes=5000-9999").get("/entries/" + id + "/body");
        middle.then().statusCode(206).header("Content-Range", "bytes 5000-9999/100003").header("Content-Length", "5000");
        assertArrayEquals(Arrays.copyOfRange(bytes, 5000, 10_000), middle.asByteArray());
        // Across chunk boundaries, one byte, the open end and a suffix.
        assertArrayEquals(Arrays.copyOfRange(bytes, 4095, 12_289), range(id, "bytes=4095-12288", 206));
        assertArrayEquals(Arrays.copyOfRange(bytes, 8192, 8193), range(id, "bytes=8192-8192", 206));
        assertArrayEquals(Arrays.copyOfRange(bytes, 99_000, 100_003), range(id, "bytes=99000-", 206));
        assertArrayEquals(Arrays.copyOfRange(bytes, 99_993, 100_003), range(id, "bytes=-10", 206));
        assertArrayEquals(bytes, range(id, "bytes=0-999999999", 206));
        given().header("Range", "bytes=100003-").get("/entries/" + id + "/body").then().statusCode(416)
                .contentType("application/problem+json").body("field", equalTo("Range"));
        // Several ranges are not served as multipart: the whole body, as the RFC allows.
        assertArrayEquals(bytes, range(id, "bytes=0-1,5-6", 200));
    }

    @Test
    void aBodyStoredInJsonReadsAsBytesToo() {
        String id = Entries.create("GET https://example.com/json");
        assertArrayEquals("<p>hello</p>".getBytes(StandardCharsets.UTF_8), range(id, null, 200));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), range(id, "bytes=3-7", 206));
        given().get("/entries/00000000-0000-0000-0000-000000000404/body").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anEntryTakesOnlyAFinishedUploadOfItsKeyThatNoOtherEntryHolds() {
        String key = "GET https://example.com/take";
        String body = Entries.upload(key, random(10_000, 2));
        Entries.post(Entries.streamed(key, "00000000-0000-0000-0000-000000000001")).then().statusCode(400)
                .body("field", equalTo("response.bodyId"));
        Entries.post(Entries.streamed("GET https://example.com/other", body)).then().statusCode(400)
                .body("field", equalTo("response.bodyId"));
        Map<String, Object> both = Entries.streamed(key, body);
        ((Map<String, Object>) both.get("response")).put("body", Base64.getEncoder().encodeToString(new byte[] { 1 }));
        Entries.post(both).then().statusCode(400).body("field", equalTo("response.bodyId"));
        String id = Entries.create(Entries.streamed(key, body));
        Entries.post(Entries.streamed(key, body)).then().statusCode(400).body("field", equalTo("response.bodyId"));
        // The entry that holds it may name it again (a PUT of its metadata).
        Map<String, Object> again = Entries.streamed(key, body);
        again.put("metadata", Map.of("hits", 7));
        given().contentType(ContentType.JSON).body(again).put("/entries/" + id).then().statusCode(200)
                .body("metadata.hits", equalTo(7)).body("response.bodySize", equalTo(10_000));
        assertEquals(1, Db.queryLong("SELECT count(*) FROM cache_entry"));
    }

    @Test
    void anUploadOverTheLimitIsRefusedBeforeOrWhileItArrivesAndLeavesNothing() throws Exception {
        String key = "GET https://example.com/huge";
        // Declared: refused before a byte is read.
        RawHttpAnswer declared = rawUpload(key, MAX + 1, MAX + 1, true);
        assertTrue(declared.head.startsWith("HTTP/1.1 413"), declared.head);
        assertTrue(declared.head.contains("application/problem+json"), declared.head);
        // Chunked, no length: refused once it passes the limit.
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/bodies?key=x"))
                .header("Authorization", basic()).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[MAX + 10_000])))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(chunked.body().contains("streamed-bodies.max-size"), chunked.body());
        Poll.until(Duration.ofSeconds(10), "the refused upload's chunks are gone",
                () -> Db.queryLong("SELECT count(*) FROM cache_body") == 0
                        && Db.queryLong("SELECT count(*) FROM cache_body_chunk") == 0);
        // Exactly the limit is fine.
        Entries.upload(key, new byte[MAX]);
    }

    @Test
    void anUploadCutOffHalfWayLeavesNothingBehind() throws Exception {
        String key = "GET https://example.com/cut";
        rawUpload(key, 60_000, 30_000, false);
        Poll.until(Duration.ofSeconds(10), "the broken upload is discarded",
                () -> Db.queryLong("SELECT count(*) FROM cache_body") == 0
                        && Db.queryLong("SELECT count(*) FROM cache_body_chunk") == 0);
        given().get("/entries?key=" + key).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aReaderRacingAReplaceReadsOneVersionWhole() throws Exception {
        String key = "GET https://example.com/race";
        byte[] first = new byte[400_000];
        Arrays.fill(first, (byte) 'a');
        byte[] second = new byte[300_000];
        Arrays.fill(second, (byte) 'b');
        String id = Entries.create(Entries.streamed(key, Entries.upload(key, first)));

        HttpResponse<InputStream> reading = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri("/entries/" + id + "/body"))
                        .header("Authorization", basic()).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = reading.body()) {
            byte[] start = in.readNBytes(10_000);
            given().contentType(ContentType.JSON).body(Entries.streamed(key, Entries.upload(key, second))).put("/entries/" + id)
                    .then()
                    .statusCode(200).body("response.bodySize", equalTo(300_000)).body("version", equalTo(2));
            byte[] rest = in.readAllBytes();
            byte[] read = new byte[start.length + rest.length];
            System.arraycopy(start, 0, read, 0, start.length);
            System.arraycopy(rest, 0, read, start.length, rest.length);
            assertArrayEquals(first, read, "the reader got the version it started, whole");
        }
        assertArrayEquals(second, range(id, null, 200));
        // The replaced body is held by no entry now: the purge takes it after the upload timeout.
        assertEquals(1, Db.queryLong(
                "SELECT count(*) FROM cache_body b WHERE NOT EXISTS (SELECT 1 FROM cache_entry e WHERE e.cache_key = b.cache_key"
                        + " AND e.route = b.route AND e.body_id = b.id)"));
    }

    @Test
    void aReplaceThatMovesTheEntryToAnotherKeyTakesABodyUploadedUnderTheNewKey() {
        String from = "GET https://example.com/moved-from";
        String to = "GET https://example.com/moved-to";
        String id = Entries.create(Entries.streamed(from, Entries.upload(from, random(5_000, 8))));
        byte[] bytes = random(9_000, 9);
        given().contentType(ContentType.JSON).body(Entries.streamed(to, Entries.upload(to, bytes))).put("/entries/" + id)
                .then().statusCode(200).body("cacheKey", equalTo(to)).body("response.bodySize", equalTo(9_000));
        assertArrayEquals(bytes, range(id, null, 200));
        given().queryParam("key", from).get("/entries").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aReplaceWithABodyInJsonLetsTheStreamedBodyGo() {
        String key = "GET https://example.com/back-to-json";
        String id = Entries.create(Entries.streamed(key, Entries.upload(key, random(9_000, 3))));
        given().contentType(ContentType.JSON).body(Entries.body(key)).put("/entries/" + id).then().statusCode(200)
                .body("response.bodySize", nullValue()).body("response.body", equalTo(Base64.getEncoder()
                        .encodeToString("<p>hello</p>".getBytes(StandardCharsets.UTF_8))));
        assertArrayEquals("<p>hello</p>".getBytes(StandardCharsets.UTF_8), range(id, null, 200));
        Db.exec("UPDATE cache_body SET touched_at = now() - interval '1 day'");
        Entries.cleanup().then().statusCode(200).body("removedBodies", equalTo(1));
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_body_chunk"));
    }

    @Test
    void thePurgeTakesAnEntrysChunksWithItAndUnheldBodiesAfterTheTimeout() {
        String key = "GET https://example.com/purge";
        String purged = Entries.create(Entries.streamed(key, Entries.upload(key, random(20_000, 4))));
        String kept = Entries.create(Entries.streamed(key, Entries.upload(key, random(20_000, 5))));
        String waiting = Entries.upload(key, random(20_000, 6)); // no entry takes it
        Entries.delete(purged).then().statusCode(200);
        Entries.backdateDeletion(purged, 7200);

        Entries.cleanup().then().statusCode(200).body("purged", equalTo(1)).body("removedBodies", equalTo(0));
        assertEquals(2, Db.queryLong("SELECT count(*) FROM cache_body"), "the purged entry's body went with it");
        assertEquals(10, Db.queryLong("SELECT count(*) FROM cache_body_chunk"));
        given().get("/admin/stats").then().statusCode(200).body("streamed.bodies", equalTo(2))
                .body("streamed.bytes", equalTo(40_000)).body("streamed.unheldBodies", equalTo(1))
                .body("streamed.unheldBytes", equalTo(20_000)).body("bodyBytes.total", equalTo(20_000));

        // Idle past the upload timeout, the body no entry holds goes; the held one stays, however old.
        Db.exec("UPDATE cache_body SET touched_at = now() - interval '1 day'");
        Entries.cleanup().then().statusCode(200).body("removedBodies", equalTo(1));
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_body WHERE id = '" + waiting + "'"));
        assertEquals(5, Db.queryLong("SELECT count(*) FROM cache_body_chunk"));
        Entries.get(kept).then().statusCode(200).body("response.bodySize", equalTo(20_000));
        // An entry cannot take a body past the timeout.
        String late = Entries.upload(key, random(100, 7));
        Db.exec("UPDATE cache_body SET touched_at = now() - interval '1 day' WHERE id = '" + late + "'");
        Entries.post(Entries.streamed(key, late)).then().statusCode(400).body("field", equalTo("response.bodyId"));
    }

    @Test
    void anUploadAskingForHttp2OverCleartextIsServedOverHttp11() throws Exception {
        // An h2c upgrade's body would be held whole by the server before any handler could pace it.
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            byte[] body = random(50_000, 8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /bodies?key=h2c HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + basic()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                    + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            byte[] status = socket.getInputStream().readNBytes(12);
            assertEquals("HTTP/1.1 201", new String(status, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void anUploadNeedsAKeyAndBytes() {
        given().contentType("application/octet-stream").body(new byte[10]).post("/bodies").then().statusCode(400)
                .body("field", equalTo("key"));
        given().contentType(ContentType.JSON).body("{}").post("/bodies?key=k").then().statusCode(415);
        given().contentType("application/octet-stream").body(new byte[0]).post("/bodies?key=k").then().statusCode(201)
                .body("size", equalTo(0));
    }

    // --- helpers

    /** Uploads {@code bytes} under {@code key}; the body's id. */
    static byte[] range(String id, String range, int status) {
        var request = given();
        if (range != null) {
            request.header("Range", range);
        }
        Response r = request.get("/entries/" + id + "/body");
        r.then().statusCode(status);
        return r.asByteArray();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    static String basic() {
        return "Basic "
                + Base64.getEncoder().encodeToString((Api.ADMIN + ":" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    record RawHttpAnswer(String head) {
    }

    /** Declares {@code declared} bytes and sends {@code sent} of them; {@code answer}: read the answer, else close at once. */
    static RawHttpAnswer rawUpload(String key, int declared, int sent, boolean answer) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /bodies?key=" + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8)
                    + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + basic() + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + declared
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (answer) {
                out.flush();
                // The head of the answer: the service answers before the body, which is never sent.
                InputStream in = socket.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.append((char) b);
                }
                return new RawHttpAnswer(head.toString());
            }
            out.write(new byte[sent]);
            out.flush();
            Thread.sleep(300); // the bytes reach the service before the connection goes
            return new RawHttpAnswer("");
        }
    }
}
