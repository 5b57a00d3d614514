package io.cachekeeper.database;

/** Commits a statement's own transaction without waiting for its WAL to reach the disk. */
public final class AsyncCommit {

    /**
     * A condition that makes the statement's own transaction commit asynchronously
     * ({@code synchronous_commit = off} for this transaction only), written into a {@code WHERE} so the
     * statement stays one round trip: for deletes a crash may undo, which the next pass repeats.
     */
    public static final String CONDITION = "(SELECT set_config('synchronous_commit', 'off', true)) = 'off'";

    private AsyncCommit() {
    }
}
