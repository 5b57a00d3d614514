package io.cachekeeper.problem;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import io.cachekeeper.database.DatabaseTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Recognises "the database cannot be reached" among the failures the reactive client reports, by type
 * and SQLSTATE only: no connection (refused, no route, unknown host, timed out, closed under us), no
 * answer within {@code cachekeeper.database.timeout} (ours, or the server's {@code statement_timeout}:
 * 57014), too many calls already waiting for a connection, or PostgreSQL refusing service (SQLSTATE
 * class 08 connection exception, 57P operator intervention such as a shutdown, 53300 too many
 * connections). Such a failure is the client's signal to retry later (503),
 * not a bug (500); anything else, whatever its message says, is a 500 with its stack trace logged.
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof ClosedConnectionException
                    || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || t instanceof DatabaseTimeoutException || t instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                        || state.equals("57014");
            }
        }
        return false;
    }
}
