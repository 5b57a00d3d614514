package io.cachekeeper.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.KeepAliveTimers;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * An idle connection of the service to the database is probed after {@link DatabasePool}'s keep-alive idle
 * time, not the kernel's default of two hours: the kernel shows its keep-alive timer firing within that time.
 * Here on the transport Vert.x picks by default (epoll on Linux); {@link IdleConnectionsAreProbedOnNioTest}
 * on the JDK's, as in the native image.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class IdleConnectionsAreProbedTest {

    @Inject
    Database database;

    @Inject
    Vertx vertx;

    /** The transport this test is about: epoll here. */
    boolean expectsNativeTransport() {
        return true;
    }

    @Test
    void everyIdleConnectionIsProbedAfterTheKeepAliveIdleTime() throws SQLException {
        assertTrue(vertx.isNativeTransportEnabled() == expectsNativeTransport(),
                "Vert.x's native transport enabled: " + vertx.isNativeTransportEnabled());
        // Several pooled connections (and the lookups' own), then idle.
        Uni.join().all(IntStream.range(0, 6).mapToObj(i -> database.execute("SELECT pg_sleep(0.05)")).toList())
                .andFailFast().await().atMost(Duration.ofSeconds(10));
        database.lookup("SELECT 1", io.vertx.mutiny.sqlclient.Tuple.tuple()).await().atMost(Duration.ofSeconds(10));
        Set<Integer> servicePorts = new HashSet<>();
        try (Connection c = Db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s
                        .executeQuery("SELECT client_port FROM pg_stat_activity WHERE application_name = 'cachekeeper'")) {
            while (rs.next()) {
                servicePorts.add(rs.getInt(1));
            }
        }
        List<KeepAliveTimers.Timer> timers = KeepAliveTimers.of(PostgresResource.port(), servicePorts);
        assertFalse(timers.isEmpty(), "no connection of the service found among " + servicePorts);
        for (KeepAliveTimers.Timer timer : timers) {
            assertTrue(timer.keepAlive() && timer.secondsLeft() <= DatabasePool.KEEPALIVE_IDLE_S,
                    "a connection not probed within " + DatabasePool.KEEPALIVE_IDLE_S + " s: " + timer + " of " + timers);
        }
    }
}
