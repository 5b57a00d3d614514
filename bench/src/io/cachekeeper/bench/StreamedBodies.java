package io.cachekeeper.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Section "bodies" (issue 30): a body as bytes through the service against the same bytes through psql, in one
 * run. A 1 GiB body (BENCH_BODY_MB) is uploaded to a service at -Xmx256m and read back, hashed on both sides,
 * with the service's RSS sampled throughout; psql writes the same bytes with {@code \copy} into a bytea chunk
 * table and with {@code \lo_import}, and reads them back ({@code \copy … TO}, {@code \lo_export}); then 50
 * concurrent 20 MiB uploads against a service with the Kubernetes heap (-Xmx460m: 60% of the 768Mi limit).
 */
final class StreamedBodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BenchDatabase db;
    private final BiConsumer<String, Object[]> say;

    StreamedBodies(BenchDatabase db, BiConsumer<String, Object[]> say) {
        this.db = db;
        this.say = say;
    }

    private void say(String format, Object... args) {
        say.accept(format, args);
    }

    void run() throws Exception {
        long bytes = Long.parseLong(System.getenv().getOrDefault("BENCH_BODY_MB", "1024")) << 20;
        Path file = Files.createTempFile("cachekeeper-body", ".bin");
        try {
            if (System.getenv("BENCH_CONCURRENT_ONLY") == null) {
                String expected = write(file, bytes);
                psql(file, bytes);
                service(bytes, expected);
                psql(file, bytes);
            }
            concurrentUploads(50, 20 << 20);
        } finally {
            Files.deleteIfExists(file);
            db.exec("TRUNCATE cache_entry, cache_body, cache_body_chunk");
        }
    }

    private void service(long bytes, String expected) throws Exception {
        try (ServiceProcess service = new ServiceProcess(db, List.of("-Xmx256m"), Map.of())) {
            HttpClient http = HttpClient.newHttpClient();
            // Warm the paths up (JIT, connections) on 64 MiB first, then measure.
            upload(service, http, 64L << 20);
            Thread.sleep(2000);
            long idle = service.rssKb();
            service.resetPeak();
            long start = System.nanoTime();
            Upload up = upload(service, http, bytes);
            double upSeconds = (System.nanoTime() - start) / 1e9;
            long peakUp = service.peakRssKb();
            String entry = service.send("POST", "/entries", """
                    {"cacheKey": "bench-video", "request": {"method": "GET", "url": "https://example.com/v"},
                     "response": {"status": 200, "headers": {}, "bodyId": "%s"}}""".formatted(up.id)).body();
            String id = JSON.readTree(entry).path("id").asText();
            service.resetPeak();
            start = System.nanoTime();
            HttpResponse<InputStream> read = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port
                    + "/entries/" + id + "/body")).header("Authorization", service.auth).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long got = 0;
            try (InputStream in = read.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0;) {
                    sha.update(buffer, 0, n);
                    got += n;
                }
            }
            double downSeconds = (System.nanoTime() - start) / 1e9;
            long peakDown = service.peakRssKb();
            String hash = HexFormat.of().formatHex(sha.digest());
            say("service (-Xmx256m): upload %,d MiB in %.1f s = %.0f MB/s (201: %s); download %.1f s = %.0f MB/s; byte-identical: %s",
                    bytes >> 20, upSeconds, bytes / upSeconds / 1e6, up.status, downSeconds, got / downSeconds / 1e6,
                    expected.equals(hash) && up.sha.equals(expected) && got == bytes);
            say("service RSS: %,d MiB idle (after a 64 MiB warm-up); peak %,d MiB during the upload (+%,d MiB), %,d MiB during the download (+%,d MiB)",
                    idle / 1024, peakUp / 1024, (peakUp - idle) / 1024, peakDown / 1024, (peakDown - idle) / 1024);
        }
    }

    private record Upload(String id, int status, String sha) {
    }

    /** Uploads {@code bytes} of the bench pattern, streamed from a generator, hashing what it sends. */
    private static Upload upload(ServiceProcess service, HttpClient http, long bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port
                + "/bodies?key=bench-video")).header("Authorization", service.auth)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers
                        .fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern(bytes, sha)), bytes))
                .timeout(Duration.ofMinutes(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + answer.statusCode() + ": " + answer.body());
        }
        return new Upload(JSON.readTree(answer.body()).path("id").asText(), answer.statusCode(),
                HexFormat.of().formatHex(sha.digest()));
    }

    /** The same bytes through psql: \copy of 256 KiB hex chunks into a bytea table, and \lo_import; both read back. */
    private void psql(Path file, long bytes) throws Exception {
        Path hex = Files.createTempFile("cachekeeper-body", ".copy");
        try {
            // \copy's text format carries bytea as hex: the file is written beforehand, outside the timing.
            try (InputStream in = Files.newInputStream(file); var out = Files.newBufferedWriter(hex)) {
                byte[] chunk = new byte[256 << 10];
                int seq = 0;
                for (int n; (n = in.readNBytes(chunk, 0, chunk.length)) > 0;) {
                    out.write(seq++ + "\t\\\\x" + HexFormat.of().formatHex(chunk, 0, n) + "\n");
                }
            }
            db.exec("DROP TABLE IF EXISTS bench_chunk; CREATE TABLE bench_chunk (seq integer PRIMARY KEY, data bytea NOT NULL);"
                    + " ALTER TABLE bench_chunk ALTER COLUMN data SET STORAGE EXTERNAL");
            double copyIn = timed("\\copy bench_chunk FROM '" + hex + "'");
            Path back = Files.createTempFile("cachekeeper-body", ".back");
            double copyOut = timed("\\copy (SELECT data FROM bench_chunk ORDER BY seq) TO '" + back + "'");
            db.exec("SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
            double loIn = timed("\\lo_import '" + file + "'");
            long oid = db.queryLong("SELECT max(oid) FROM pg_largeobject_metadata");
            double loOut = timed("\\lo_export " + oid + " '" + back + "'");
            Files.deleteIfExists(back);
            say("psql: \\copy into bytea chunks %.0f MB/s, out %.0f MB/s; \\lo_import %.0f MB/s, \\lo_export %.0f MB/s",
                    bytes / copyIn / 1e6, bytes / copyOut / 1e6, bytes / loIn / 1e6, bytes / loOut / 1e6);
            db.exec("DROP TABLE bench_chunk; SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
        } finally {
            Files.deleteIfExists(hex);
        }
    }

    private double timed(String command) throws Exception {
        URI url = URI.create(db.jdbcUrl.substring("jdbc:".length()));
        ProcessBuilder psql = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", url.getHost(), "-p",
                String.valueOf(url.getPort()), "-U", db.user, "-d", url.getPath().substring(1), "-c", command)
                .redirectErrorStream(true);
        psql.environment().put("PGPASSWORD", db.password);
        long start = System.nanoTime();
        Process p = psql.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql " + command + ": " + out);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** {@code n} uploads of {@code size} at once against the Kubernetes heap: only 201/413/503, no OutOfMemoryError. */
    private void concurrentUploads(int n, long size) throws Exception {
        db.exec("TRUNCATE cache_entry, cache_body, cache_body_chunk");
        try (ServiceProcess service = new ServiceProcess(db, List.of("-Xmx460m"), Map.of())) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.valueOf(
                    System.getenv().getOrDefault("BENCH_UPLOAD_HTTP", "HTTP_2"))).build();
            if (System.getenv("BENCH_HISTOGRAM") != null) {
                Thread histogram = new Thread(() -> {
                    try {
                        Thread.sleep(Long.parseLong(System.getenv("BENCH_HISTOGRAM")));
                        Process p = new ProcessBuilder("jcmd", String.valueOf(service.pid()), "GC.class_histogram")
                                .redirectErrorStream(true).start();
                        Files.write(Path.of("target", "bench-histogram.txt"), p.getInputStream().readAllBytes());
                    } catch (Exception e) {
                        // a diagnostic only
                    }
                });
                histogram.setDaemon(true);
                histogram.start();
            }
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(n);
            service.resetPeak();
            long start = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> {
                    int status;
                    try {
                        status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port
                                + "/bodies?key=bench-concurrent")).header("Authorization", service.auth)
                                .header("Content-Type", "application/octet-stream")
                                .POST(HttpRequest.BodyPublishers.fromPublisher(
                                        HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern(size, null)), size))
                                .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException | InterruptedException e) {
                        status = -1;
                    }
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            long finished = db.queryLong("SELECT count(*) FROM cache_body WHERE size IS NOT NULL");
            long unfinished = db.queryLong("SELECT count(*) FROM cache_body WHERE size IS NULL");
            boolean oom = Files.readString(Path.of("target", "bench-service.log")).contains("OutOfMemoryError");
            say("%d concurrent %d MiB uploads (-Xmx460m): answers %s in %.1f s (%.0f MB/s in all); bodies stored %d (201s: %d),"
                    + " unfinished left %d; peak RSS %,d MiB; OutOfMemoryError: %s", n, size >> 20, statuses, seconds,
                    statuses.getOrDefault(201, new AtomicInteger()).get() * size / seconds / 1e6, finished,
                    statuses.getOrDefault(201, new AtomicInteger()).get(), unfinished, service.peakRssKb() / 1024, oom);
        }
    }

    /** Writes {@code bytes} of the pattern to {@code file}; its SHA-256. */
    private static String write(Path file, long bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new Pattern(bytes, sha); var out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** {@code length} bytes of a cheap pseudo-random pattern (xorshift), hashed as read when {@code sha} is given. */
    private static final class Pattern extends InputStream {
        private final long length;
        private final MessageDigest sha;
        private long sent;
        private long state = 0x9E3779B97F4A7C15L;

        Pattern(long length, MessageDigest sha) {
            this.length = length;
            this.sha = sha;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (sent >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - sent);
            for (int i = 0; i < n; i++) {
                if ((sent + i) % 8 == 0) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                }
                b[off + i] = (byte) (state >>> (((sent + i) % 8) * 8));
            }
            if (sha != null) {
                sha.update(b, off, n);
            }
            sent += n;
            return n;
        }
    }
}
