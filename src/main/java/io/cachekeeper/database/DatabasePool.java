package io.cachekeeper.database;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.cachekeeper.config.CachekeeperConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The reactive pool as Quarkus configures it ({@code quarkus.datasource.reactive.*}), plus the limits
 * that keep a hung or vanished database from hanging the service; Quarkus has no settings for these.
 * <ul>
 * <li>Waiting for a pooled connection is bounded in time and in count ({@code max-wait-queue}): past
 * either, a call fails at once. (The time is a backstop a second past {@link Database}'s own bound,
 * which fails the call first; it drops waiters that nobody waits for any more.)</li>
 * <li>Dead peers are found without a call on them: TCP keep-alive probes after {@value #KEEPALIVE_IDLE_S} s
 * of silence, set on each new connection ({@link KeepAliveTiming}: Vert.x sets the timing only on a server's
 * sockets), and {@code TCP_USER_TIMEOUT} (data unacknowledged for the bound closes the connection), so
 * after a failover the pool drops the old primary's connections within seconds, not when the kernel gives
 * up (hours). {@code TCP_USER_TIMEOUT} needs the native epoll transport
 * ({@code quarkus.vertx.prefer-native-transport}); the keep-alive timing holds on either.</li>
 * <li>A socket that has read nothing for longer than the pool keeps an idle connection is closed: the
 * pool evicts idle connections before that, so this only ends connection attempts whose handshake never
 * gets an answer (a blackholed network), which would otherwise hold a pool slot for ever.</li>
 * <li>Every session carries {@code statement_timeout} and {@code idle_in_transaction_session_timeout}
 * of the bound: a statement the service gave up on is cancelled by the server too.</li>
 * </ul>
 */
@Singleton
public class DatabasePool implements PgPoolCreator {

    private static final Logger LOG = Logger.getLogger(DatabasePool.class);

    static final int KEEPALIVE_IDLE_S = 5;
    static final int KEEPALIVE_INTERVAL_S = 2;
    static final int KEEPALIVE_COUNT = 3;
    /** Vert.x's default application_name; replaced so operators see the service in pg_stat_activity. */
    private static final String CLIENT_DEFAULT_NAME = "vertx-pg-client";

    private final CachekeeperConfig config;
    private final PoolConnections connections;
    /** The pool's settings once Quarkus has created it: {@link PipelinedReads} connects with the same. */
    private volatile Settings settings;

    public DatabasePool(CachekeeperConfig config, PoolConnections connections) {
        this.config = config;
        this.connections = connections;
    }

    @Override
    public Pool create(Input input) {
        if (!input.vertx().isNativeTransportEnabled()) {
            // HungDatabaseIT passes on either transport (run with QUARKUS_VERTX_PREFER_NATIVE_TRANSPORT=false):
            // the bounds are the service's own, and so is the keep-alive timing (KeepAliveTiming).
            LOG.warn("Vert.x runs without its native (epoll) transport. Every database call is still bounded by"
                    + " cachekeeper.database.timeout, readiness still goes DOWN when the database hangs and idle"
                    + " pooled connections are still probed by TCP keep-alive, but there is no TCP_USER_TIMEOUT:"
                    + " a connection whose data goes unacknowledged is found dead when a call on it reaches the"
                    + " bound (503) or when keep-alive probes it once idle");
        }
        int bound = (int) config.database().timeout().toMillis();
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout(bound + 1000)
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.database().maxWaitQueue());
        long idleMs = pool.getIdleTimeoutUnit().toMillis(pool.getIdleTimeout());
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setConnectTimeout(bound)
                    .setTcpKeepAlive(true)
                    .setTcpKeepAliveIdleSeconds(KEEPALIVE_IDLE_S)
                    .setTcpKeepAliveIntervalSeconds(KEEPALIVE_INTERVAL_S)
                    .setTcpKeepAliveCount(KEEPALIVE_COUNT)
                    .setTcpUserTimeout(bound);
            if (idleMs > 0) {
                options.setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setReadIdleTimeout((int) (idleMs + 2L * bound));
            }
            options.addProperty("statement_timeout", bound + "ms");
            options.addProperty("idle_in_transaction_session_timeout", bound + "ms");
            if (CLIENT_DEFAULT_NAME.equals(options.getProperties().get("application_name"))) {
                options.addProperty("application_name", "cachekeeper");
            }
        }
        settings = new Settings(input.vertx(), List.copyOf(input.pgConnectOptionsList()), pool);
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), pool).connectHandler(connection -> {
            connections.opened(connection);
            connection.close(); // hands the new connection to the pool
        });
    }

    /** The settings the pool was created with; null before Quarkus has created it. */
    Settings settings() {
        return settings;
    }

    /** What another client needs to connect as the pool does: the same server, session settings and limits. */
    record Settings(Vertx vertx, List<PgConnectOptions> connectOptions, PoolOptions poolOptions) {
    }
}
