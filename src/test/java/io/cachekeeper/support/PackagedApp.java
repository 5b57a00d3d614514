package io.cachekeeper.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the packaged application ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as an
 * operator would, for tests about start-up, against the embedded test database.
 */
public final class PackagedApp {

    private PackagedApp() {
    }

    public record Outcome(boolean exited, int exitCode, String output) {
    }

    /** Production credentials and the embedded test database: what an operator would configure. */
    public static Map<String, String> prodCredentials() {
        Map<String, String> env = new HashMap<>();
        int port = PostgresResource.port();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + port + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.putAll(PostgresResource.credentialHashes());
        if (CitusCluster.requested()) {
            env.put("CACHEKEEPER_CITUS_ENABLED", "true");
        }
        return env;
    }

    /** Runs the jar with the given environment; waits up to {@code seconds} for it to exit. */
    public static Outcome run(Map<String, String> env, int seconds) throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar);
        }
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-jar", jar.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(exited, exited ? process.exitValue() : -1, output);
    }
}
