package io.cachekeeper.database;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.cachekeeper.config.CachekeeperConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Pools of connections to the other servers of a distributed store (its workers, docs/scale.md), one per server, made when
 * first asked for: the
 * purge sends each range of a shard to the worker that holds it (any node answers a client),
 * without a round trip through the coordinator for every range. They connect as the main pool does (the
 * same database, credentials, session settings and limits, {@link DatabasePool}) to the worker's host and
 * port as the coordinator's metadata names them, with one difference: their sessions commit asynchronously
 * ({@code synchronous_commit = off}, as the purge's statements set it one by one on the main pool, sql/purge.sql), since
 * they run only the purge's deletes, which a crash may undo and the next pass repeats; set once per session, it
 * is not paid again at every range. Each holds at most the purge's connections of one replica
 * ({@code cleanup.workers} × 2 lanes).
 */
@Singleton
public class WorkerPools {

    private final DatabasePool pool;
    private final PoolConnections connections;
    private final int size;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    public WorkerPools(DatabasePool pool, PoolConnections connections, CachekeeperConfig config) {
        this.pool = pool;
        this.connections = connections;
        this.size = Math.max(1, config.cleanup().workers() * 2);
    }

    /** The pool of the worker at {@code host}:{@code port} for the purge's deletes: its sessions commit asynchronously. */
    public Pool of(String host, int port) {
        return pool(host, port, true);
    }

    /**
     * The pool of the worker at {@code host}:{@code port} for changes that a client is told about (a bulk
     * restore's batches): its commits are as durable as the main pool's.
     */
    public Pool durable(String host, int port) {
        return pool(host, port, false);
    }

    private Pool pool(String host, int port, boolean asynchronousCommit) {
        return pools.computeIfAbsent(host + ":" + port + (asynchronousCommit ? "/async" : ""), k -> {
            DatabasePool.Settings settings = pool.settings();
            if (settings == null) {
                throw new IllegalStateException("the reactive pool has not been created yet");
            }
            PgConnectOptions options = new PgConnectOptions(settings.connectOptions().get(0)).setHost(host).setPort(port);
            if (asynchronousCommit) {
                options.addProperty("synchronous_commit", "off");
            }
            return Pool.newInstance(PgBuilder.pool()
                    .with(new PoolOptions(settings.poolOptions()).setMaxSize(size).setShared(false))
                    .connectingTo(options)
                    .withConnectHandler(connection -> {
                        connections.openedOnWorker(connection);
                        connection.close(); // hands the new connection to the pool
                    })
                    .using(settings.vertx())
                    .build());
        });
    }

    @PreDestroy
    void close() {
        pools.values().forEach(p -> p.close().subscribe().with(ignored -> {
        }, ignored -> {
        }));
    }
}
