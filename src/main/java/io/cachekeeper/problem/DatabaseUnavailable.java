package io.cachekeeper.problem;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.cachekeeper.database.ClosedInPoolException;
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
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof ClosedConnectionException
                    || t instanceof TimeoutException || t instanceof DatabaseTimeoutException
                    || t instanceof ClosedInPoolException || t instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                        || state.equals("57014") || state.equals("25006");
            }
        }
        return false;
    }
}
