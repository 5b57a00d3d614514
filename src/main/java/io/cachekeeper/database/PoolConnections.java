package io.cachekeeper.database;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;

/**
 * The pool's physical connections, so that one that stopped answering can be taken out of service: its
 * socket is closed, which fails whatever waits on it and makes the pool drop it, so it is never handed
 * to the next call. Closing the {@code SqlConnection} would not do: for a pooled connection that only
 * returns it to the pool, with the unanswered statement still queued on it. The reactive client has no
 * public way to close the physical connection under a pooled one, hence this one use of its internals,
 * kept here.
 *
 * <p>
 * After a timeout the idle connections are suspect too (a failed-over or partitioned server leaves
 * every connection to it dangling, and TCP keep-alive cannot tell while something on the way still
 * answers for it): {@link #closeIdle} closes them, so the next calls connect afresh instead of each
 * finding out after the bound. Idle means open and not in use by a {@link Database} call.
 */
@Singleton
public class PoolConnections {

    private static final Logger LOG = Logger.getLogger(PoolConnections.class);

    private final Set<SocketConnectionBase> open = ConcurrentHashMap.newKeySet();
    /** How many calls use each connection: a session and the statements on it, or pipelined statements. */
    private final Map<SocketConnectionBase, Integer> inUse = new ConcurrentHashMap<>();
    /** The key lookups' pipelined connections ({@link PipelinedReads}) and when each opened. */
    private final Map<SocketConnectionBase, Long> reads = new ConcurrentHashMap<>();
    /** Closed here, until their close has run (it runs on the connection's event loop, later). */
    private final Set<SocketConnectionBase> closing = ConcurrentHashMap.newKeySet();

    /** A new connection of the pool (its connect handler). */
    void opened(SqlConnection connection) {
        forgetClosed();
        SocketConnectionBase socket = socketOf(connection);
        if (socket != null) {
            keepAlive(socket);
            open.add(socket);
        }
    }

    /** A new connection of a worker's pool ({@link WorkerPools}): only its keep-alive timing ({@link KeepAliveTiming}). */
    void openedOnWorker(SqlConnection connection) {
        SocketConnectionBase socket = socketOf(connection);
        if (socket != null) {
            keepAlive(socket);
        }
    }

    /** The keep-alive timing on a new connection ({@link KeepAliveTiming}). */
    private static void keepAlive(SocketConnectionBase socket) {
        KeepAliveTiming.apply(socket.socket().channelHandlerContext().channel());
    }

    /** A new connection of the key lookups' client (its connect handler). */
    void openedForReads(SqlConnection connection) {
        forgetClosed();
        SocketConnectionBase socket = socketOf(connection);
        if (socket != null) {
            keepAlive(socket);
            reads.put(socket, System.nanoTime());
        } else {
            LOG.warnf("cannot reach the socket of %s: a lookup connection that stops answering is left to"
                    + " keep-alive", connection.getClass());
        }
    }

    /**
     * False for a connection this class closed or whose socket is closed: the pool may hand one out before
     * it has seen it close.
     */
    boolean isOpen(io.vertx.mutiny.sqlclient.SqlConnection connection) {
        SocketConnectionBase socket = socketOf(connection.getDelegate());
        return socket == null || socket.isValid() && !closing.contains(socket);
    }

    void using(io.vertx.mutiny.sqlclient.SqlConnection connection) {
        SocketConnectionBase socket = socketOf(connection.getDelegate());
        if (socket != null) {
            inUse.merge(socket, 1, Integer::sum);
        }
    }

    void released(io.vertx.mutiny.sqlclient.SqlConnection connection) {
        SocketConnectionBase socket = socketOf(connection.getDelegate());
        if (socket != null) {
            inUse.computeIfPresent(socket, (s, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Closes a connection that did not answer in time. */
    void close(io.vertx.mutiny.sqlclient.SqlConnection connection) {
        SocketConnectionBase socket = socketOf(connection.getDelegate());
        if (socket != null) {
            abort(socket);
        } else {
            LOG.warnf("cannot reach the socket of %s: the connection is released, not closed",
                    connection.getDelegate().getClass());
            connection.close().subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
    }

    /** Closes every open connection no call is using; returns how many. */
    int closeIdle() {
        int closed = 0;
        for (SocketConnectionBase socket : open) {
            if (socket.isValid() && !inUse.containsKey(socket)) {
                abort(socket);
                closed++;
            }
        }
        return closed;
    }

    /**
     * Closes the key lookups' connections opened before {@code nanos} (a call's start): lookups share
     * them, so none is idle, and after a timeout each is as suspect as the pool's idle ones. Returns how
     * many.
     */
    int closeReadsOpenedBefore(long nanos) {
        int closed = 0;
        for (Map.Entry<SocketConnectionBase, Long> read : reads.entrySet()) {
            SocketConnectionBase socket = read.getKey();
            if (read.getValue() - nanos <= 0 && reads.remove(socket) != null && socket.isValid()) {
                abort(socket);
                closed++;
            }
        }
        return closed;
    }

    /** Drops the sockets that have closed since, whichever set they are in (on each new connection). */
    private void forgetClosed() {
        open.removeIf(socket -> !socket.isValid());
        reads.keySet().removeIf(socket -> !socket.isValid());
        closing.removeIf(socket -> !socket.isValid());
    }

    /**
     * Closes the channel from the head of its pipeline. A close from the tail passes the client's own
     * handlers, which first send PostgreSQL's Terminate message and close once it is written; on a
     * connection that stopped answering that close never completed (seen with a blackholed peer).
     */
    private void abort(SocketConnectionBase socket) {
        open.remove(socket);
        closing.add(socket);
        ChannelHandlerContext head = socket.socket().channelHandlerContext().pipeline().firstContext();
        if (head != null) { // null: the channel has closed meanwhile and its handlers are gone
            head.close();
        }
    }

    private static SocketConnectionBase socketOf(SqlConnection connection) {
        // A pooled connection's unwrap() is the pool's slot; the slot's unwrap() is the socket connection.
        return connection instanceof SqlConnectionInternal internal
                && internal.unwrap().unwrap() instanceof SocketConnectionBase socket ? socket : null;
    }
}
