package io.cachekeeper.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cachekeeper.support.PackagedApp;

/**
 * Contract (docs/contract.md): an invalid value stops start-up with a message naming the property. Runs the packaged
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
            "CACHEKEEPER_CLEANUP_TIME_BUDGET, 0s, cachekeeper.cleanup.time-budget",
            "CACHEKEEPER_DEFAULT_TTL, -10m, cachekeeper.default-ttl",
            "CACHEKEEPER_MAX_BODY_SIZE, huge, cachekeeper.max-body-size",
            "CACHEKEEPER_MAX_ENTRIES, -5, cachekeeper.max-entries",
            "CACHEKEEPER_MAX_ENTRIES, 0, cachekeeper.max-entries",
            "CACHEKEEPER_MAX_TOTAL_SIZE, -1G, cachekeeper.max-total-size",
            "CACHEKEEPER_CLEANUP_STRATEGY, fastest, cachekeeper.cleanup.strategy",
            "CACHEKEEPER_CLEANUP_SHARE_UNDER_LOAD, 0, cachekeeper.cleanup.share-under-load",
            "CACHEKEEPER_CLEANUP_SHARE_UNDER_LOAD, 1.5, cachekeeper.cleanup.share-under-load",
            "CACHEKEEPER_DATABASE_READ_CONNECTIONS, -1, cachekeeper.database.read-connections",
    })
    void invalidValueStopsStartUpNamingTheProperty(String env, String value, String property) throws Exception {
        Map<String, String> environment = PackagedApp.prodCredentials();
        environment.put(env, value);
        PackagedApp.Outcome outcome = PackagedApp.run(environment, 60);
        assertTrue(outcome.exited(), "the service started despite " + env + "=" + value + ":\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(property),
                "the message does not name " + property + ":\n" + outcome.output());
    }
}
