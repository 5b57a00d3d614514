package io.cachekeeper.cleanup;

import io.cachekeeper.entry.Lifecycle;

/** Why a row may be purged; each reason is purged on its own, through its own partial index. */
public enum PurgeReason {
    /** Soft-deleted and the grace period is over. */
    DELETED,
    /** Expired (not deleted) and stale retention is over. */
    EXPIRED;

    /** The eligibility predicate, from the one definition of the lifecycle. */
    String eligibleSql(Lifecycle lifecycle) {
        return this == DELETED ? lifecycle.purgeable() : lifecycle.stale();
    }

    public String tag() {
        return name().toLowerCase();
    }
}
