package io.cachekeeper.security;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.cachekeeper.support.Hashes;
import io.cachekeeper.support.PackagedApp;
import org.junit.jupiter.api.Test;

/** The prod profile refuses to start with missing or dev/test default credentials, saying what to set. */
class ProductionCredentialsIT {

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
