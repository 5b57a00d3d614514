package io.cachekeeper.problem;

/**
 * A wide invalidation (by tag or URL prefix) that failed part way: {@link #deleted} entries were
 * soft-deleted by the batches that committed before the failure, which is the cause. Calling again
 * finishes the work.
 */
public final class PartialInvalidation extends RuntimeException {

    private final long deleted;

    public PartialInvalidation(long deleted, Throwable cause) {
        super(deleted + " entries were soft-deleted before the failure; calling again finishes the work", cause,
                false, false);
        this.deleted = deleted;
    }

    public long deleted() {
        return deleted;
    }
}
