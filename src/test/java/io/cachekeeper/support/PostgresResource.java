package io.cachekeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the tests, from the zonky binaries on the test classpath: no Docker, no
 * installed server. One server per test JVM, shared by every Quarkus restart.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    private static EmbeddedPostgres postgres;

    private boolean againstArtifact;

    /** Called only for {@code @QuarkusIntegrationTest}: the packaged app, in its prod profile. */
    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        againstArtifact = true;
    }

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    private static CitusCluster citus;

    /**
     * The port of the tests' database: the embedded PostgreSQL, or, in the {@code -Pcitus} suite, the
     * coordinator of a real Citus cluster ({@link CitusCluster}), against which the service runs with
     * {@code cachekeeper.citus.enabled}.
     */
    public static synchronized int port() {
        if (CitusCluster.requested()) {
            if (citus == null) {
                citus = CitusCluster.start();
            }
            return citus.coordinatorPort();
        }
        return server().getPort();
    }

    /** The Citus cluster of the {@code -Pcitus} suite, started if it was not yet. */
    public static synchronized CitusCluster citus() {
        port();
        if (citus == null) {
            throw new IllegalStateException("not the -Pcitus suite: " + CitusCluster.BIN_VARIABLE + " is not set");
        }
        return citus;
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/postgres";
    }

    @Override
    public Map<String, String> start() {
        int port = port();
        // Credentials go along too: an @QuarkusIntegrationTest runs the packaged app in the prod
        // profile, which has no users of its own and refuses the dev passwords.
        Map<String, String> config = new HashMap<>(credentialHashes());
        config.put("quarkus.datasource.jdbc.url", jdbcUrl());
        config.put("quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/postgres");
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "postgres");
        if (CitusCluster.requested()) {
            config.put("cachekeeper.citus.enabled", "true");
            // Eight shards of each table: the routing is the same as with 32, and each test's TRUNCATE is quicker.
            config.put("cachekeeper.citus.shard-count", "8");
        }
        if (againstArtifact) {
            // The artefact stays up while the other ITs of this JVM run on the same database: its
            // scheduler (on in prod) must not purge their rows. The tests trigger passes themselves.
            config.put("cachekeeper.cleanup.enabled", "false");
        }
        return config;
    }

    /** {@code CACHEKEEPER_<USER>_PASSWORD_HASH} for the three users, with {@link #password} as password. */
    public static Map<String, String> credentialHashes() {
        Map<String, String> hashes = new HashMap<>();
        for (String user : List.of("reader", "writer", "admin")) {
            hashes.put("CACHEKEEPER_" + user.toUpperCase() + "_PASSWORD_HASH", Hashes.userHash(user, password(user)));
        }
        return hashes;
    }

    /**
     * A test user's password: its own name (the dev/test convention), or, against the packaged
     * app, the one password failsafe sets in {@code cachekeeper.test.password}.
     */
    public static String password(String user) {
        return System.getProperty("cachekeeper.test.password", user);
    }

    @Override
    public void stop() {
        // kept running for the next Quarkus application of this JVM; closed by the shutdown hook
    }
}
