package io.cachekeeper.cleanup;

import java.time.Duration;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.entry.Lifecycle;

/** Why a row may be purged; each reason is purged on its own, through its own partial index. */
public enum PurgeReason {
    /** Soft-deleted and the grace period is over. */
    DELETED(Lifecycle.PURGEABLE_SQL),
    /** Expired (not deleted) and stale retention is over. */
    EXPIRED(Lifecycle.STALE_SQL);

    /** Eligibility predicate; {@code $1} is {@link #retention} in seconds. */
    final String eligibleSql;

    PurgeReason(String eligibleSql) {
        this.eligibleSql = eligibleSql;
    }

    Duration retention(CachekeeperConfig.Cleanup config) {
        return this == DELETED ? config.gracePeriod() : config.staleRetention();
    }

    public String tag() {
        return name().toLowerCase();
    }
}
