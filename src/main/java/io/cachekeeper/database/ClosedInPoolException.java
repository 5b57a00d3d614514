package io.cachekeeper.database;

/**
 * Every connection the pool handed out in a row was one already closed (a server restart closes them
 * all at once, and the pool may hand them out before it has seen them close): nothing was sent, so the
 * caller may retry later (503).
 */
public final class ClosedInPoolException extends RuntimeException {

    public static final ClosedInPoolException INSTANCE = new ClosedInPoolException();

    private ClosedInPoolException() {
        super("the pool handed out a connection that was closed", null, false, false);
    }
}
