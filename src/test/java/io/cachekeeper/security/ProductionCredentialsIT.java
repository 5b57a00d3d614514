package io.cachekeeper.security;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cachekeeper.support.Hashes;
import io.cachekeeper.support.PackagedApp;

/** The prod profile refuses to start with missing or dev/test default credentials, saying what to set. */
class ProductionCredentialsIT {

    /** No default database URL, user or password in production: each missing one stops start-up, named. */
    @ParameterizedTest
    @ValueSource(strings = { "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD" })
    void refusesToStartWithoutDatabaseSettings(String variable) throws Exception {
        Map<String, String> env = PackagedApp.prodCredentials();
        env.remove(variable);
        PackagedApp.Outcome outcome = PackagedApp.run(env, 60);
        assertTrue(outcome.exited(), "started without " + variable + ":\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(variable), outcome.output());
    }

    @Test
    void refusesTheDevDefaultPassword() throws Exception {
        Map<String, String> env = PackagedApp.prodCredentials();
        env.put("CACHEKEEPER_ADMIN_PASSWORD_HASH", Hashes.userHash("admin", "admin"));
        PackagedApp.Outcome outcome = PackagedApp.run(env, 60);
        assertTrue(outcome.exited(), outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("CACHEKEEPER_ADMIN_PASSWORD_HASH"), outcome.output());
    }

    @Test
    void refusesToStartWithoutCredentials() throws Exception {
        Map<String, String> env = PackagedApp.prodCredentials();
        env.remove("CACHEKEEPER_WRITER_PASSWORD_HASH");
        PackagedApp.Outcome outcome = PackagedApp.run(env, 60);
        assertTrue(outcome.exited(), outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("CACHEKEEPER_WRITER_PASSWORD_HASH"), outcome.output());
    }
}
