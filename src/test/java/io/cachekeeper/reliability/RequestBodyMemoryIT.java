package io.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;

/**
 * Large request bodies cannot run the service out of memory: the packaged jar under the heap the
 * Kubernetes manifest gives it (-Xmx460m: 60% of 768Mi) takes 20 concurrent writes, 12 with the largest
 * allowed body (10 MiB) and 8 with a 45 MB one. Every answer is 201, 413 (too large, refused before it is
 * read) or 503 (over the in-flight budget), the rows stored are exactly the 201s, no OutOfMemoryError is
 * logged, and the service is still ready afterwards.
 */
class RequestBodyMemoryIT {

    @Test
    void concurrentLargeBodiesGet201Or413Or503AndNeverAnOutOfMemoryError() throws Exception {
        Db.clear();
        try (AppProcess app = AppProcess.start("bodies", Map.of("JAVA_TOOL_OPTIONS", "-Xmx460m",
                "CACHEKEEPER_CLEANUP_ENABLED", "false"))) {
            byte[] largest = payload(10 * 1024 * 1024);
            byte[] oversized = payload(45_000_000);
            URI base = URI.create(app.baseUrl());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString(
                    ("writer:" + PostgresResource.password("writer")).getBytes(StandardCharsets.UTF_8));
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                if (i < 12) {
                    HttpRequest request = HttpRequest.newBuilder(base.resolve("/entries"))
                            .header("Authorization", auth).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(120))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(largest)).build();
                    answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .thenApply(HttpResponse::statusCode));
                } else {
                    answers.add(CompletableFuture.supplyAsync(() -> rawPost(base, auth, oversized)));
                }
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (CompletableFuture<Integer> answer : answers) {
                byStatus.merge(answer.get(), 1, Integer::sum);
            }
            System.out.println("answers by status: " + byStatus);
            assertTrue(List.of(201, 413, 503).containsAll(byStatus.keySet()), "answers: " + byStatus);
            assertEquals(8, byStatus.getOrDefault(413, 0), "the 45 MB bodies: " + byStatus);
            assertTrue(byStatus.getOrDefault(201, 0) >= 1, "some largest-allowed bodies are stored: " + byStatus);
            assertEquals((long) byStatus.getOrDefault(201, 0), Db.count("true"), "rows stored = 201 answers");
            assertFalse(app.log().contains("OutOfMemoryError"), app.log());
            app.api().get("/q/health/ready").then().statusCode(200);
        }
    }

    /**
     * A POST written by hand: its headers announce the whole body, and the answer is read before any of
     * the body is sent. The service must decide from the headers alone (an HTTP client library would
     * send the body first and then fail on the write once the server has answered and closed).
     */
    private static int rawPost(URI base, String auth, byte[] body) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /entries HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + auth
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] payload(int bodyBytes) {
        byte[] body = new byte[bodyBytes];
        new java.util.Random(bodyBytes).nextBytes(body);
        String json = "{\"cacheKey\":\"GET https://example.com/big\",\"request\":{\"method\":\"GET\","
                + "\"url\":\"https://example.com/big\"},\"response\":{\"status\":200,\"body\":\""
                + Base64.getEncoder().encodeToString(body) + "\"}}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }
}
