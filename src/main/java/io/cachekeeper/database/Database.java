package io.cachekeeper.database;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * The one way to the database: every statement of the service runs here, bounded by
 * {@code cachekeeper.database.timeout}. The bound covers the whole interaction (waiting for a pooled
 * connection, connecting, the statement); when it passes, the call fails with
 * {@link DatabaseTimeoutException} at once, the connection it held is closed, and so are the idle ones,
 * now suspect, and so are the key lookups' shared connections ({@link PoolConnections},
 * {@link PipelinedReads}): a database that accepts but does not answer costs a call at
 * most the bound and leaves no stuck connection in the pool. The failure is emitted by a Vert.x timer on the caller's context,
 * so the caller
 * carries on on its own event loop, as it would with the statement's answer.
 *
 * <p>
 * The server gives up on the statement too ({@code statement_timeout}, set per session by
 * {@link DatabasePool}), so a statement the service abandoned does not keep running there.
 */
@ApplicationScoped
public class Database {

    /** Retrying past every connection of a pool of 100 that was closed at once. */
    private static final int MAX_CLOSED_IN_A_ROW = 100;
    private static final ClosedInPoolException CLOSED_IN_POOL = ClosedInPoolException.INSTANCE;

    private final Pool pool;
    private final PoolConnections connections;
    private final PipelinedReads reads;
    private final Vertx vertx;
    private final Duration timeout;
    private final Counter timeouts;

    public Database(Pool pool, PoolConnections connections, PipelinedReads reads, Vertx vertx,
            CachekeeperConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.connections = connections;
        this.reads = reads;
        this.vertx = vertx;
        this.timeout = config.database().timeout();
        this.timeouts = Counter.builder("cachekeeper.database.timeouts")
                .description("Database interactions abandoned after cachekeeper.database.timeout (the connection closed)")
                .register(registry);
    }

    /** One statement with parameters, prepared (parsed once per connection, then only bound and executed). */
    public Uni<RowSet<Row>> execute(String sql, Tuple args) {
        return onConnection(connection -> connection.preparedQuery(sql).execute(args), Bound::watch);
    }

    /** One statement with named parameters, prepared: {@link #execute(String, Tuple)} with the values by name. */
    public Uni<RowSet<Row>> execute(NamedSql sql, NamedSql.Params params) {
        return execute(sql.sql(), sql.bind(params));
    }

    /** One statement without parameters, sent as a simple query (nothing to prepare for a rare statement). */
    public Uni<RowSet<Row>> execute(String sql) {
        return onConnection(connection -> connection.query(sql).execute(), Bound::watch);
    }

    /**
     * One read-only statement of the API's hot path (the key lookups), pipelined with the others on the
     * lookups' own connections ({@link PipelinedReads}), or through the pool when those are switched off.
     * Bounded like every call; at a timeout every lookup connection as old as the call is closed (they are
     * shared).
     */
    public Uni<RowSet<Row>> lookup(String sql, Tuple args) {
        if (!reads.enabled()) {
            return execute(sql, args);
        }
        return Uni.createFrom().emitter(emitter -> {
            Bound<RowSet<Row>> bound = new Bound<>(emitter);
            // A lookup sent on a connection that a server restart closed a moment ago was never sent: it is
            // tried again (a read), on a connection the client makes afresh.
            reads.client().preparedQuery(sql).execute(args)
                    .onFailure(Database::sentOnClosed).retry().atMost(MAX_CLOSED_IN_A_ROW)
                    .onFailure(Database::sentOnClosed).transform(e -> ClosedConnectionException.INSTANCE)
                    .subscribe().with(bound::complete, bound::fail);
        });
    }

    /**
     * A few statements that belong together, on one connection in one transaction, bounded as a whole:
     * committed when {@code work} succeeds, rolled back when it fails or gives {@code rollbackOn}'s answer (a
     * write that found its condition false and must leave nothing behind).
     */
    public <T> Uni<T> transaction(Function<SqlConnection, Uni<T>> work, Predicate<T> rollbackOn) {
        return onConnection(connection -> connection.begin().chain(tx -> work.apply(connection)
                .call(result -> rollbackOn.test(result) ? tx.rollback() : tx.commit())
                .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull())), Bound::watch);
    }

    /**
     * A session of many statements, each its own transaction (a cleanup pass's worker): only getting the
     * connection is bounded here; each statement is bounded on its own with {@link #inSession}.
     */
    public <T> Uni<T> session(Function<SqlConnection, Uni<T>> work) {
        return onConnection(work, Bound::handOver);
    }

    /** One named statement of a transaction, on its connection (the transaction bounds it). */
    public static Uni<RowSet<Row>> run(SqlConnection connection, NamedSql sql, NamedSql.Params params) {
        return connection.preparedQuery(sql.sql()).execute(sql.bind(params));
    }

    /** One named statement of a {@link #session}, on the connection the session holds, bounded on its own. */
    public Uni<RowSet<Row>> inSession(SqlConnection connection, NamedSql sql, NamedSql.Params params) {
        return inSession(connection, run(connection, sql, params));
    }

    /** A named statement without parameters, of a {@link #session}, sent as a simple query, bounded on its own. */
    public Uni<RowSet<Row>> inSession(SqlConnection connection, NamedSql sql) {
        return inSession(connection, connection.query(sql.sql()).execute());
    }

    /** A named statement without parameters, sent as a simple query (nothing to prepare for a rare statement). */
    public Uni<RowSet<Row>> execute(NamedSql sql) {
        return execute(sql.sql());
    }

    /** A read of the API's hot path with named parameters: {@link #lookup(String, Tuple)}. */
    public Uni<RowSet<Row>> lookup(NamedSql sql, NamedSql.Params params) {
        return lookup(sql.sql(), sql.bind(params));
    }

    /** One statement of a {@link #session}, on the connection the session holds, bounded on its own. */
    public <T> Uni<T> inSession(SqlConnection connection, Uni<T> statement) {
        return Uni.createFrom().emitter(emitter -> {
            Bound<T> bound = new Bound<>(emitter);
            bound.watch(connection);
            statement.subscribe().with(bound::complete, bound::fail);
        });
    }

    /**
     * Work that reaches the database through Hibernate Reactive (the recycle bin's queries), bounded all the
     * same: the caller gets {@link DatabaseTimeoutException} at the bound. The connection that work holds is
     * not one of this class's calls, so the timeout closes it with the other suspects
     * ({@link PoolConnections#closeIdle}).
     */
    public <T> Uni<T> orm(Uni<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            Bound<T> bound = new Bound<>(emitter);
            work.subscribe().with(bound::complete, bound::fail);
        });
    }

    /** {@code work} on a pooled connection, which {@code take} puts under the bound or takes out of it. */
    private <T> Uni<T> onConnection(Function<SqlConnection, Uni<T>> work, BiPredicate<Bound<?>, SqlConnection> take) {
        return Uni.createFrom().emitter(emitter -> {
            Bound<T> bound = new Bound<>(emitter);
            pool.withConnection(connection -> {
                if (!connections.isOpen(connection)) {
                    return Uni.createFrom().<T> failure(CLOSED_IN_POOL);
                }
                return take.test(bound, connection)
                        ? work.apply(connection).onFailure(Database::sentOnClosed)
                                .transform(e -> ClosedConnectionException.INSTANCE)
                        : Uni.createFrom().<T> failure(new DatabaseTimeoutException(timeout));
            })
                    // A connection closed a moment ago (a suspect, see PoolConnections) may still be handed out
                    // before the pool has seen it close; nothing was sent on it, so take another.
                    .onFailure(e -> e == CLOSED_IN_POOL).retry().atMost(MAX_CLOSED_IN_A_ROW)
                    .subscribe().with(bound::complete, bound::fail);
        });
    }

    /**
     * Vert.x's failure for a statement given to a connection that is closed already (a server restart closed
     * it a moment ago, and the client had not yet seen it): nothing was sent. Only its message tells it from
     * other failures of the same type, so it is turned into {@link ClosedConnectionException} here, which the
     * service answers as the database's being unavailable (503); the restarts test met it as a 500.
     */
    public static boolean sentOnClosed(Throwable e) {
        return e instanceof NoStackTraceThrowable && e.getMessage() != null
                && e.getMessage().startsWith("Connection is not active now");
    }

    /**
     * One bounded interaction: whichever comes first, the answer or the timer, settles the caller; the
     * other is ignored. A connection attached when the timer fires is closed.
     */
    private final class Bound<T> {

        private final UniEmitter<? super T> emitter;
        private final AtomicBoolean settled = new AtomicBoolean();
        private final long timer;
        /** The connection the bound watches (closed when it passes). */
        private volatile SqlConnection connection;
        /** The connection in use, bounded or not: not idle, so not closed as a suspect; released once. */
        private final AtomicReference<SqlConnection> inUse = new AtomicReference<>();
        private volatile boolean expired;
        private final long startedNanos = System.nanoTime();

        Bound(UniEmitter<? super T> emitter) {
            this.emitter = emitter;
            this.timer = vertx.setTimer(timeout.toMillis(), id -> expire());
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        }

        /**
         * The work runs on {@code c} under the bound: when it passes, {@code c} is closed. False when the bound
         * already passed (the work must not start).
         */
        boolean watch(SqlConnection c) {
            connections.using(c);
            inUse.set(c);
            // Written before expired is read, and expire() writes expired before reading connection: at least
            // one of the two sees the other, so a connection is never left running past the bound.
            connection = c;
            return !expired;
        }

        /**
         * The bound ends with getting {@code c}: the work on it (a session) bounds its own statements. False
         * when the bound passed before (the work must not start).
         */
        boolean handOver(SqlConnection c) {
            connections.using(c);
            inUse.set(c);
            vertx.cancelTimer(timer);
            return !expired;
        }

        private void expire() {
            expired = true;
            SqlConnection c = connection;
            if (c != null) {
                connections.close(c);
            }
            connections.closeIdle();
            connections.closeReadsOpenedBefore(startedNanos);
            release();
            if (settled.compareAndSet(false, true)) {
                timeouts.increment();
                emitter.fail(new DatabaseTimeoutException(timeout));
            }
        }

        void complete(T item) {
            if (settle()) {
                emitter.complete(item);
            }
        }

        void fail(Throwable failure) {
            if (settle()) {
                emitter.fail(failure);
            }
        }

        private boolean settle() {
            vertx.cancelTimer(timer);
            release();
            return settled.compareAndSet(false, true);
        }

        private void release() {
            SqlConnection c = inUse.getAndSet(null);
            if (c != null) {
                connections.released(c);
            }
        }
    }
}
