package io.cachekeeper.entry;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.cachekeeper.config.CachekeeperConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The lifecycle rules in one place: live → expired / deleted → purgeable → purged.
 * <ul>
 * <li>deleted: {@code deleted_at} is set and {@code now < deleted_at + grace-period};</li>
 * <li>purgeable: {@code deleted_at} is set and {@code now >= deleted_at + grace-period};</li>
 * <li>expired: not deleted and {@code expires_at <= now};</li>
 * <li>live: everything else.</li>
 * </ul>
 * A cleanup pass purges purgeable rows and expired rows with {@code expires_at <= now - stale-retention}.
 * The Java evaluation ({@link #stateAt}) and the SQL predicates ({@link #PURGEABLE_SQL},
 * {@link #STALE_SQL}, …) say the same thing; both take "now" from the database.
 */
@ApplicationScoped
public class Lifecycle {

    // The states as SQL predicates over cache_entry, for statistics and the purge.
    // $1 is always the grace period in seconds; "now" is the database's now().

    public static final String LIVE_SQL =
            "deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())";
    public static final String EXPIRED_SQL =
            "deleted_at IS NULL AND expires_at <= now()";
    public static final String DELETED_SQL =
            "deleted_at IS NOT NULL AND deleted_at > now() - make_interval(secs => $1)";
    public static final String PURGEABLE_SQL =
            "deleted_at IS NOT NULL AND deleted_at <= now() - make_interval(secs => $1)";

    /** Purge eligibility by TTL: expired, not deleted, past stale retention ({@code $1}, seconds). */
    public static final String STALE_SQL =
            "deleted_at IS NULL AND expires_at IS NOT NULL AND expires_at <= now() - make_interval(secs => $1)";

    private final CachekeeperConfig config;

    public Lifecycle(CachekeeperConfig config) {
        this.config = config;
    }

    public Duration gracePeriod() {
        return config.cleanup().gracePeriod();
    }

    public Duration staleRetention() {
        return config.cleanup().staleRetention();
    }

    public EntryState stateAt(CacheEntry entry, OffsetDateTime now) {
        if (entry.deletedAt != null) {
            return now.isBefore(graceEnds(entry.deletedAt)) ? EntryState.DELETED : EntryState.PURGEABLE;
        }
        if (entry.expiresAt != null && !entry.expiresAt.isAfter(now)) {
            return EntryState.EXPIRED;
        }
        return EntryState.LIVE;
    }

    /** When the entry becomes eligible for purging; null while it is live without expiry. */
    public OffsetDateTime purgeAfter(CacheEntry entry) {
        if (entry.deletedAt != null) {
            return graceEnds(entry.deletedAt);
        }
        return entry.expiresAt == null ? null : entry.expiresAt.plus(staleRetention());
    }

    /** Soft-deleted entries newer than this are still inside their grace period. */
    public OffsetDateTime graceCutoff(OffsetDateTime now) {
        return now.minus(gracePeriod());
    }

    private OffsetDateTime graceEnds(OffsetDateTime deletedAt) {
        return deletedAt.plus(gracePeriod());
    }

    public static double seconds(Duration d) {
        return d.toNanos() / 1_000_000_000.0;
    }
}
