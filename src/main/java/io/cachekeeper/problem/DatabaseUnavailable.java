package io.cachekeeper.problem;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

import io.cachekeeper.database.ClosedInPoolException;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.DatabaseTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Recognises "the database cannot be reached" among the failures the reactive client reports, by type
 * and SQLSTATE only: no connection or a connection lost (any I/O failure of the socket: refused, reset
 * by peer, no route, closed under us, Netty's native {@code Errors.NativeIoException} among them;
 * unknown host; every pooled connection handed out already closed), no answer within
 * {@code cachekeeper.database.timeout} (ours, or the server's {@code statement_timeout}: 57014), too many
 * calls already waiting for a connection, or PostgreSQL refusing service (SQLSTATE class 08 connection
 * exception, 57P operator intervention such as a shutdown or a server still starting up, 53300 too many
 * connections, 25006 a read-only transaction: a failover in progress reached a standby). Such a failure
 * is the client's signal to retry later (503), not a bug (500); anything else, whatever its message
 * says, is a 500 with its stack trace logged.
 *
 * <p>
 * The SQLSTATE is read from the reactive client's {@link PgException} and from a {@link SQLException}
 * alike: Hibernate Reactive (the recycle bin's browsing) turns the client's exception into a
 * {@code JDBCException} around a new {@code SQLException} that keeps the state but not the original, so
 * a session terminated by a server shutdown (57P01) reached the caller as a 500 until both were read.
 * A statement handed to a connection already closed ({@link Database#sentOnClosed}) reaches Hibernate
 * Reactive's callers unchanged, and is recognised here as well.
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof ClosedConnectionException
                    || t instanceof TimeoutException || t instanceof DatabaseTimeoutException
                    || t instanceof ClosedInPoolException || t instanceof ConnectionPoolTooBusyException
                    || Database.sentOnClosed(t)) {
                return true;
            }
            String state = t instanceof PgException pg ? pg.getSqlState()
                    : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null) {
                return unavailable(state);
            }
        }
        return false;
    }

    private static boolean unavailable(String sqlState) {
        return sqlState.startsWith("08") || sqlState.startsWith("57P") || sqlState.equals("53300")
                || sqlState.equals("57014") || sqlState.equals("25006");
    }
}
