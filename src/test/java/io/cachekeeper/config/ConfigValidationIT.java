package io.cachekeeper.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC: an invalid value stops start-up with a message naming the property. Runs the packaged
 * application, as an operator would, with one bad environment variable.
 */
class ConfigValidationIT {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "CACHEKEEPER_CLEANUP_BATCH_SIZE, 0, cachekeeper.cleanup.batch-size",
            "CACHEKEEPER_CLEANUP_BATCH_SIZE, lots, cachekeeper.cleanup.batch-size",
            "CACHEKEEPER_CLEANUP_GRACE_PERIOD, -1h, cachekeeper.cleanup.grace-period",
            "CACHEKEEPER_CLEANUP_STALE_RETENTION, -5s, cachekeeper.cleanup.stale-retention",
            "CACHEKEEPER_CLEANUP_INTERVAL, 0s, cachekeeper.cleanup.interval",
            "CACHEKEEPER_DEFAULT_TTL, -10m, cachekeeper.default-ttl",
            "CACHEKEEPER_MAX_BODY_SIZE, huge, cachekeeper.max-body-size",
    })
    void invalidValueStopsStartUpNamingTheProperty(String env, String value, String property) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), "package the application first: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(env, value);
        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            process.destroyForcibly();
            throw new AssertionError("the service started despite " + env + "=" + value + ":\n" + output);
        }
        assertNotEquals(0, process.exitValue(), output);
        assertTrue(output.contains(property), "the message does not name " + property + ":\n" + output);
    }
}
