package io.cachekeeper.cleanup;

/**
 * Why a row is purged: the two lifecycle reasons, and eviction to stay under a size cap. Not to be read as
 * {@code EntryState}s: a row in state {@code deleted} or {@code expired} is still visible and is not purged; these
 * name rows past those states. The metrics' {@code reason} tag keeps the short names.
 */
public enum PurgeReason {
    /** Soft-deleted and the grace period is over (state {@code purgeable}). */
    DELETED_PAST_GRACE("deleted"),
    /** Expired (not deleted) and stale retention is over. */
    EXPIRED_PAST_RETENTION("expired"),
    /** Oldest beyond a size cap (cachekeeper.max-entries / max-total-size). */
    EVICTED("evicted");

    private final String tag;

    PurgeReason(String tag) {
        this.tag = tag;
    }

    /** The {@code reason} tag of {@code cachekeeper_cleanup_purged_total}. */
    public String tag() {
        return tag;
    }
}
