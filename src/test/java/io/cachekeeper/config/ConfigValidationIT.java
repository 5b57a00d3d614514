package io.cachekeeper.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.cachekeeper.support.PackagedApp;

/**
 * Contract (docs/contract.md): an invalid value stops start-up with a message naming the property. Runs the
 * packaged application, as an operator would, with bad environment variables. Start-up reports every bad
 * value of one kind at once (every value that does not convert; else every value that converts but breaks
 * a rule), so one start checks a group of them: each must be named, and each alone would stop the start.
 */
class ConfigValidationIT {

    record Bad(String env, String value, String property) {
    }

    /** Groups of bad values: one kind per group, each variable at most once in a group. */
    static Stream<List<Bad>> groups() {
        return Stream.of(
                // values that do not convert to the property's type
                List.of(new Bad("CACHEKEEPER_CLEANUP_BATCH_SIZE", "lots", "cachekeeper.cleanup.batch-size"),
                        new Bad("CACHEKEEPER_MAX_BODY_SIZE", "huge", "cachekeeper.max-body-size"),
                        new Bad("CACHEKEEPER_MAX_TOTAL_SIZE", "-1G", "cachekeeper.max-total-size"),
                        new Bad("CACHEKEEPER_CLEANUP_STRATEGY", "fastest", "cachekeeper.cleanup.strategy")),
                // values of the right type outside the property's bounds
                List.of(new Bad("CACHEKEEPER_CLEANUP_BATCH_SIZE", "0", "cachekeeper.cleanup.batch-size"),
                        new Bad("CACHEKEEPER_CLEANUP_GRACE_PERIOD", "-1h", "cachekeeper.cleanup.grace-period"),
                        new Bad("CACHEKEEPER_CLEANUP_STALE_RETENTION", "-5s", "cachekeeper.cleanup.stale-retention"),
                        new Bad("CACHEKEEPER_CLEANUP_INTERVAL", "0s", "cachekeeper.cleanup.interval"),
                        new Bad("CACHEKEEPER_CLEANUP_TIME_BUDGET", "0s", "cachekeeper.cleanup.time-budget"),
                        new Bad("CACHEKEEPER_DEFAULT_TTL", "-10m", "cachekeeper.default-ttl"),
                        new Bad("CACHEKEEPER_MAX_ENTRIES", "-5", "cachekeeper.max-entries"),
                        new Bad("CACHEKEEPER_CLEANUP_SHARE_UNDER_LOAD", "0", "cachekeeper.cleanup.share-under-load"),
                        new Bad("CACHEKEEPER_DATABASE_READ_CONNECTIONS", "-1", "cachekeeper.database.read-connections")),
                // the other end of the bounds
                List.of(new Bad("CACHEKEEPER_MAX_ENTRIES", "0", "cachekeeper.max-entries"),
                        new Bad("CACHEKEEPER_CLEANUP_SHARE_UNDER_LOAD", "1.5", "cachekeeper.cleanup.share-under-load")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groups")
    void invalidValuesStopStartUpNamingEachProperty(List<Bad> bad) throws Exception {
        Map<String, String> environment = PackagedApp.prodCredentials();
        bad.forEach(b -> environment.put(b.env(), b.value()));
        PackagedApp.Outcome outcome = PackagedApp.run(environment, 60);
        assertTrue(outcome.exited(), "the service started despite " + bad + ":\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        List<Bad> unnamed = new ArrayList<>();
        for (Bad b : bad) {
            if (!outcome.output().contains(b.property())) {
                unnamed.add(b);
            }
        }
        assertTrue(unnamed.isEmpty(), "the message does not name " + unnamed + ":\n" + outcome.output());
    }
}
