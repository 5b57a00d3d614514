package io.cachekeeper.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packaged service as a separate process, at default settings, with its RSS sampled: the JVM build
 * (target/quarkus-app/quarkus-run.jar) unless {@code BENCH_ARTEFACT} names another one, a jar or a native
 * executable ({@code target/*-runner}), so that the same figures can be taken of whichever artefact runs.
 */
final class ServiceProcess implements AutoCloseable {

    static final String PASSWORD = "bench-Secret-1";
    /** The artefact to run (BENCH_ARTEFACT): a jar runs on this JVM, anything else is executed. */
    static final String ARTEFACT = System.getenv().getOrDefault("BENCH_ARTEFACT", "target/quarkus-app/quarkus-run.jar");

    private final Process process;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes());
    private final AtomicBoolean sampling = new AtomicBoolean(true);
    private final AtomicLong peakRssKb = new AtomicLong();

    ServiceProcess(BenchDatabase db, List<String> jvmOptions, Map<String, String> extraEnv) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        if (ARTEFACT.endsWith(".jar")) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            // BENCH_SERVICE_JAVA_OPTS: options for the service's JVM only, e.g. a flight recording of a pass
            // ("-XX:StartFlightRecording=settings=profile", then jcmd <pid> JFR.dump).
            String serviceOptions = System.getenv().getOrDefault("BENCH_SERVICE_JAVA_OPTS", "").trim();
            if (!serviceOptions.isEmpty()) {
                command.addAll(List.of(serviceOptions.split("\\s+")));
            }
            command.addAll(List.of("-Dquarkus.http.port=" + port, "-jar", ARTEFACT));
        } else {
            // A native executable takes system properties as its arguments; it has no JVM to give options to.
            command.addAll(List.of(ARTEFACT, "-Dquarkus.http.port=" + port));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "bench-service.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", db.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", db.user);
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password);
        for (String user : List.of("reader", "writer", "admin")) {
            env.put("CACHEKEEPER_" + user.toUpperCase() + "_PASSWORD_HASH", HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256")
                            .digest((user + ":Quarkus:" + PASSWORD).getBytes(StandardCharsets.UTF_8))));
        }
        // Scheduled passes off: the benchmark triggers each pass itself; every pass setting stays at its default.
        env.put("CACHEKEEPER_CLEANUP_ENABLED", "false");
        // CACHEKEEPER_* and QUARKUS_* settings given to the benchmark reach the service (e.g.
        // CACHEKEEPER_CLEANUP_WORKERS=1, QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=4), but not its database.
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("CACHEKEEPER_") || name.startsWith("QUARKUS_") && !env.containsKey(name)) {
                env.put(name, value);
            }
        });
        env.putAll(extraEnv);
        long launched = System.nanoTime();
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "service did not start:\n" + Files.readString(Path.of("target", "bench-service.log")));
            }
            Thread.sleep(10);
        }
        readyMillis = (System.nanoTime() - launched) / 1_000_000;
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peakRssKb.accumulateAndGet(rssKb(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** From launching the process to the first 200 of /q/health/ready (Flyway's check included). */
    final long readyMillis;

    private boolean ready() {
        try {
            return send("GET", "/q/health/ready", null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(600))
                .header("Authorization", auth);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    long pid() {
        return process.pid();
    }

    /** Current resident set size of the service, in KiB. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // the process is gone
        }
        return 0;
    }

    void resetPeak() {
        peakRssKb.set(rssKb());
    }

    long peakRssKb() {
        return peakRssKb.get();
    }

    /** The Prometheus line value of a metric, or NaN. */
    double metric(String prefix) throws Exception {
        String metrics = send("GET", "/q/metrics", null).body();
        return metrics.lines().filter(l -> l.startsWith(prefix + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(prefix.length() + 1))).orElse(Double.NaN);
    }

    @Override
    public void close() throws InterruptedException {
        sampling.set(false);
        process.destroy();
        process.waitFor();
    }
}
