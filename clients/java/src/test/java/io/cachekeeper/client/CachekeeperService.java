package io.cachekeeper.client;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real service for the client's tests: the packaged jar of this repository (prod profile, as an
 * operator runs it) on an embedded PostgreSQL. One per test JVM, started on first use.
 */
public final class CachekeeperService {

    public static final String PASSWORD = "client-Tests-42";

    private static CachekeeperService instance;

    private final EmbeddedPostgres postgres;
    private final Process process;
    private final URI uri;
    private final Path log;

    private CachekeeperService(EmbeddedPostgres postgres, Process process, URI uri, Path log) {
        this.postgres = postgres;
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    public static synchronized CachekeeperService get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
        }
        return instance;
    }

    private static CachekeeperService start() throws IOException {
        Path jar = Path.of(System.getProperty("cachekeeper.jar", "../../target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the service is not packaged: " + jar.toAbsolutePath()
                    + " is missing; run ./mvnw package (or verify) in the repository root first");
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
        int port = freePort();
        Path log = Path.of("target", "cachekeeper-service.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + postgres.getPort() + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        for (String user : List.of("reader", "writer", "admin")) {
            env.put("CACHEKEEPER_" + user.toUpperCase() + "_PASSWORD_HASH", digest(user + ":Quarkus:" + PASSWORD));
        }
        CachekeeperService service = new CachekeeperService(postgres, builder.start(),
                URI.create("http://localhost:" + port), log);
        service.awaitReady(Duration.ofSeconds(90));
        return service;
    }

    public URI uri() {
        return uri;
    }

    /** The embedded database's URL for libpq and psql ({@code postgresql://…}), for a benchmark's own statements. */
    public String databaseUrl() {
        return "postgresql://postgres:postgres@localhost:" + postgres.getPort() + "/postgres";
    }

    /** A client as {@code user} (reader, writer or admin). */
    public CachekeeperClient client(String user) {
        return CachekeeperClient.builder(uri).credentials(user, PASSWORD).build();
    }

    private void awaitReady(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited during start-up:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(uri.resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("the service was not ready in " + timeout + ":\n" + Files.readString(log));
    }

    private void stop() {
        process.destroy();
        try {
            process.waitFor();
            postgres.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the JVM is going away
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
