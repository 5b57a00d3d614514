package io.cachekeeper.cleanup;

import io.cachekeeper.entry.Lifecycle;

/** Why a row is purged: the two lifecycle reasons, and eviction to stay under a size cap. */
public enum PurgeReason {
    /** Soft-deleted and the grace period is over. */
    DELETED,
    /** Expired (not deleted) and stale retention is over. */
    EXPIRED,
    /** Oldest beyond a size cap (cachekeeper.max-entries / max-total-size). */
    EVICTED;

    /** The eligibility predicate of a lifecycle reason, from the one definition of the lifecycle. */
    String eligibleSql(Lifecycle lifecycle) {
        return switch (this) {
            case DELETED -> lifecycle.purgeable();
            case EXPIRED -> lifecycle.stale();
            case EVICTED -> throw new IllegalArgumentException("eviction is by size, not by lifecycle");
        };
    }

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
