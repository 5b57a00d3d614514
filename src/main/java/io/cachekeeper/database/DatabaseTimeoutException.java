package io.cachekeeper.database;

import java.time.Duration;

/**
 * The database did not answer within {@code cachekeeper.database.timeout}: no pooled connection came free,
 * the connection could not be made, or the statement got no answer. The caller may retry later (503).
 */
public class DatabaseTimeoutException extends RuntimeException {

    public DatabaseTimeoutException(Duration timeout) {
        super("the database did not answer within " + timeout.toMillis() + " ms (cachekeeper.database.timeout)",
                null, false, false);
    }
}
