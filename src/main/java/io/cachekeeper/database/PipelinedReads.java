package io.cachekeeper.database;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.cachekeeper.config.CachekeeperConfig;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The key lookups' own client: {@code cachekeeper.database.read-connections} connections on which
 * concurrent lookups are pipelined, where the pool leases a connection per call. Why: a backend that
 * serves one statement per lease goes idle between statements and is woken for each one (a
 * {@code recvfrom} that finds nothing, an {@code epoll_wait}); with lookups pipelined the next one is
 * usually waiting when the last is answered, and PostgreSQL's CPU per lookup falls to close to what the
 * same statement costs under pgbench (docs/performance.md).
 *
 * <p>
 * It connects as the pool does ({@link DatabasePool}: keep-alive, {@code TCP_USER_TIMEOUT},
 * {@code statement_timeout}, the application name, the bounded wait queue), and {@link Database} bounds
 * each lookup like every other call. What differs is the cure for a connection that stopped answering:
 * other lookups share it, so a timeout anywhere closes every one of these connections opened before the
 * call that timed out ({@link PoolConnections#closeReadsOpenedBefore}); the lookups queued on them fail
 * as the database's being unavailable (503), as they would have at the bound, and the next lookups
 * connect afresh.
 */
@Singleton
public class PipelinedReads {

    /**
     * Lookups in flight on one connection. It bounds what a hung database can collect: past
     * {@code connections × this} lookups wait in the client's queue, bounded by
     * {@code cachekeeper.database.max-wait-queue}, and past that they are refused at once.
     */
    static final int PIPELINING_LIMIT = 16;

    private final DatabasePool pool;
    private final PoolConnections connections;
    private final int size;
    private volatile SqlClient client;

    public PipelinedReads(DatabasePool pool, PoolConnections connections, CachekeeperConfig config) {
        this.pool = pool;
        this.connections = connections;
        this.size = config.database().readConnections();
    }

    /** Whether lookups go through this client ({@code read-connections} &gt; 0). */
    boolean enabled() {
        return size > 0;
    }

    /** The client, made on first use: it needs the pool's settings, known once Quarkus has made the pool. */
    SqlClient client() {
        SqlClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = build();
                    client = c;
                }
            }
        }
        return c;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close().subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
    }

    private SqlClient build() {
        DatabasePool.Settings settings = pool.settings();
        if (settings == null) {
            throw new IllegalStateException("the reactive pool has not been created yet");
        }
        List<SqlConnectOptions> options = new ArrayList<>();
        for (PgConnectOptions o : settings.connectOptions()) {
            options.add(new PgConnectOptions(o).setPipeliningLimit(PIPELINING_LIMIT));
        }
        io.vertx.sqlclient.SqlClient built = PgBuilder.client()
                .with(new PoolOptions(settings.poolOptions()).setMaxSize(size).setShared(false)
                        // No wait timer of the client's own: Database bounds every lookup. (Vert.x 4.5's
                        // pipelined execute leaves that timer running when a lookup is refused at once, a full
                        // wait queue, and it then fails the answered call again: an uncaught error per refusal.)
                        .setConnectionTimeout(0))
                .connectingTo(options)
                .using(settings.vertx())
                .withConnectHandler(connection -> {
                    connections.openedForReads(connection);
                    connection.close(); // hands the new connection to the client
                })
                .build();
        return SqlClient.newInstance(built);
    }
}
