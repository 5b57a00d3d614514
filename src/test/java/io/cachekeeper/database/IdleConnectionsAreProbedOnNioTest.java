package io.cachekeeper.database;

import java.util.Map;

import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link IdleConnectionsAreProbedTest} on the JDK's (NIO) transport, the one the native image runs on, where
 * the timing is set through the JDK's extended socket options ({@link KeepAliveTiming}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@TestProfile(IdleConnectionsAreProbedOnNioTest.Nio.class)
class IdleConnectionsAreProbedOnNioTest extends IdleConnectionsAreProbedTest {

    public static class Nio implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.vertx.prefer-native-transport", "false");
        }
    }

    @Override
    boolean expectsNativeTransport() {
        return false;
    }
}
