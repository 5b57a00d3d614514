package io.cachekeeper.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.vertx.pgclient.PgException;

/**
 * Recognises "the database cannot be reached" among the failures the reactive client reports: no
 * connection (refused, timed out, dropped) or PostgreSQL shutting down (SQLSTATE 08xxx, 57Pxx).
 * Such a failure is the client's signal to retry later (503), not a bug (500).
 */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase();
            if (message.contains("connection refused") || message.contains("timeout")
                    || (message.contains("connection") && message.contains("closed"))) {
                return true;
            }
        }
        return false;
    }
}
