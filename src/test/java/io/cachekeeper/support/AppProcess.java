package io.cachekeeper.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * One instance of the packaged service in its own process (prod profile): a replica. Can be
 * stopped gracefully (SIGTERM) or killed (SIGKILL) to test what survives.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private AppProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a replica against the embedded test database, with extra environment, and waits until ready. */
    public static AppProcess start(String name, Map<String, String> extraEnv) throws IOException {
        Map<String, String> env = new HashMap<>(PackagedApp.prodCredentials());
        env.putAll(extraEnv);
        return startWith(name, env);
    }

    public static AppProcess startWith(String name, Map<String, String> env) throws IOException {
        int port = freePort();
        Path log = Path.of("target", "it-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        AppProcess app = new AppProcess(builder.start(), port, log);
        try {
            app.awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
        return app;
    }

    public void awaitReady(Duration timeout) {
        Poll.until(timeout, "replica on port " + port + " is ready", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("replica exited during start-up:\n" + log());
            }
            try {
                return RestAssured.given().baseUri("http://localhost").port(port).get("/q/health/ready")
                        .statusCode() == 200;
            } catch (Exception notYet) { // RestAssured rethrows ConnectException unchecked-style
                return false;
            }
        });
    }

    /** A request to this replica as the admin user. */
    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public RequestSpecification api() {
        return RestAssured.given().baseUri("http://localhost").port(port).filter(ObservedResponses.FILTER)
                .auth().preemptive().basic("admin", PostgresResource.password("admin"));
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("replica did not stop within " + timeout + " after SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hooks, no last batch, the connection just drops. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
