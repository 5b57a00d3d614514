package io.cachekeeper.client.httpclient5;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local origin server that counts the requests reaching it, per path:
 * <ul>
 * <li>{@code /fresh/*}: cacheable for 60 s, body "fresh &lt;path&gt;";</li>
 * <li>{@code /validate/*}: stale at once ({@code max-age=0}) with an ETag; a matching
 * {@code If-None-Match} gets 304 with {@code max-age=60} and an {@code X-Validated} header;</li>
 * <li>{@code /vary/*}: cacheable, {@code Vary: Accept-Language}, body by language.</li>
 * </ul>
 */
final class Origin implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger notModified = new AtomicInteger();

    Origin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    int notModified() {
        return notModified.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        var headers = exchange.getResponseHeaders();
        headers.add("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
        String body;
        if (path.startsWith("/validate/")) {
            headers.add("ETag", "\"v1\"");
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                headers.add("Cache-Control", "public, max-age=60");
                headers.add("X-Validated", "yes");
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
            headers.add("Cache-Control", "public, max-age=0");
            body = "validated " + path;
        } else if (path.startsWith("/vary/")) {
            headers.add("Cache-Control", "public, max-age=60");
            headers.add("Vary", "Accept-Language");
            String language = exchange.getRequestHeaders().getFirst("Accept-Language");
            body = "de".equals(language) ? "hallo " + path : "hello " + path;
        } else if (path.startsWith("/large/")) {
            headers.add("Cache-Control", "public, max-age=60");
            body = ("large " + path + " ").repeat(50_000); // 850 KB: stored as bytes, not in JSON
        } else {
            headers.add("Cache-Control", "public, max-age=60");
            body = "fresh " + path;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
