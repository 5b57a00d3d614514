package io.cachekeeper.entry;

import java.time.Duration;
import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;

/**
 * The lifecycle rules in one place, as SQL over {@code cache_entry} and the database's {@code now()}:
 * live → expired / deleted → purgeable → purged.
 * <ul>
 * <li>deleted: {@code deleted_at} is set and {@code deleted_at > now() - grace-period};</li>
 * <li>purgeable: {@code deleted_at} is set and {@code deleted_at <= now() - grace-period};</li>
 * <li>expired: not deleted and {@code expires_at <= now()};</li>
 * <li>live: everything else.</li>
 * </ul>
 * A cleanup pass purges purgeable rows and expired rows with {@code expires_at <= now() - stale-retention}
 * ({@link #stale()}). Every lookup, write, statistic and purge batch uses these fragments, and the
 * state and {@code purgeAfter} of a row come back with the row ({@link #stateColumn()},
 * {@link #purgeAfterColumn()}), so nobody computes a state in Java or asks for {@code now()} apart.
 *
 * <p>
 * The configured durations are constants for the life of the process, so they are written into the
 * SQL as interval literals: the statements stay the same strings, are prepared once per connection,
 * and need no parameters for them.
 */
@ApplicationScoped
public class Lifecycle {

    /** The database clock, read for the rules judged outside SQL ({@link #at}). */
    public static final String NOW = "SELECT now()";

    /**
     * Not soft-deleted: live or expired, the rows a write may change and eviction may take. The migrations'
     * partial indexes state it, and the others below, in their predicates: LifecyclePartialIndexesTest holds
     * each index to the fragments of the statements it serves.
     */
    public static final String NOT_DELETED = "deleted_at IS NULL";

    /** Soft-deleted, in its grace period or past it: of the rows a pass purges, those purged for their deletion. */
    public static final String SOFT_DELETED = "deleted_at IS NOT NULL";

    private final Duration gracePeriod;
    private final Duration staleRetention;
    private final String grace;
    private final String retention;

    public Lifecycle(CachekeeperConfig config) {
        this.gracePeriod = config.cleanup().gracePeriod();
        this.staleRetention = config.cleanup().staleRetention();
        this.grace = interval(gracePeriod);
        this.retention = interval(staleRetention);
    }

    /**
     * The same rules, at an instant the database gave ({@link #NOW}): for rows an ORM query read (the
     * recycle bin), whose state cannot come back computed in the statement.
     */
    public Clock at(OffsetDateTime databaseNow) {
        return new Clock(databaseNow, gracePeriod, staleRetention);
    }

    /** The lifecycle rules at one instant of the database clock; the SQL fragments above say the same. */
    public record Clock(OffsetDateTime now, Duration grace, Duration retention) {

        /** Soft-deleted after this instant: still in the grace period. */
        public OffsetDateTime graceStart() {
            return now.minus(grace);
        }

        public EntryState state(OffsetDateTime deletedAt, OffsetDateTime expiresAt) {
            if (deletedAt != null) {
                return deletedAt.isAfter(graceStart()) ? EntryState.DELETED : EntryState.PURGEABLE;
            }
            return expiresAt != null && !expiresAt.isAfter(now) ? EntryState.EXPIRED : EntryState.LIVE;
        }

        /**
         * The state as a condition of an HQL query over {@link CacheEntry} at this instant, with the one
         * parameter it names: for the recycle bin's ORM queries, which cannot call the SQL fragments.
         */
        public HqlCondition hql(EntryState state) {
            return switch (state) {
                case LIVE -> new HqlCondition("(deletedAt is null and (expiresAt is null or expiresAt > :now))", "now", now);
                case EXPIRED -> new HqlCondition("(deletedAt is null and expiresAt <= :now)", "now", now);
                case DELETED -> new HqlCondition("(deletedAt > :graceStart)", "graceStart", graceStart());
                case PURGEABLE -> new HqlCondition("(deletedAt <= :graceStart)", "graceStart", graceStart());
            };
        }

        public OffsetDateTime purgeAfter(OffsetDateTime deletedAt, OffsetDateTime expiresAt) {
            if (deletedAt != null) {
                return deletedAt.plus(grace);
            }
            return expiresAt == null ? null : expiresAt.plus(retention);
        }
    }

    /** An HQL condition and the value of its parameter. */
    public record HqlCondition(String hql, String parameter, OffsetDateTime value) {
    }

    /** Neither deleted nor expired. */
    public String live() {
        return "(" + NOT_DELETED + " AND (expires_at IS NULL OR expires_at > now()))";
    }

    /** Expired by TTL, not deleted. */
    public String expired() {
        return "(" + NOT_DELETED + " AND expires_at <= now())";
    }

    /** Soft-deleted, grace period running: visible and restorable. */
    public String deleted() {
        return deleted("now()");
    }

    /** {@link #deleted()} at the instant {@code clock} (an SQL expression: the coordinator's clock on Citus). */
    public String deleted(String clock) {
        return "(deleted_at > " + clock + " - " + grace + ")";
    }

    /** Soft-deleted and the grace period is over: the first purge reason. */
    public String purgeable() {
        return purgeable("now()");
    }

    /** {@link #purgeable()} at the instant {@code clock} (an SQL expression: the coordinator's clock on Citus). */
    public String purgeable(String clock) {
        return "(deleted_at <= " + clock + " - " + grace + ")";
    }

    /** Expired, not deleted, and stale retention is over: the second purge reason. */
    public String stale() {
        return stale("now()");
    }

    /** {@link #stale()} at the instant {@code clock}. */
    public String stale(String clock) {
        return "(" + NOT_DELETED + " AND expires_at <= " + clock + " - " + retention + ")";
    }

    /** The {@link EntryState} of a row, as the text of its JSON name. */
    public String stateColumn() {
        return "CASE WHEN " + SOFT_DELETED + " THEN"
                + " CASE WHEN " + deleted() + " THEN 'deleted' ELSE 'purgeable' END"
                + " WHEN expires_at <= now() THEN 'expired' ELSE 'live' END";
    }

    /** When the row becomes eligible for purging; null for a live row without expiry. */
    public String purgeAfterColumn() {
        return "CASE WHEN " + SOFT_DELETED + " THEN deleted_at + " + grace
                + " ELSE expires_at + " + retention + " END";
    }

    /**
     * {@code seconds} after {@code instant} (both SQL expressions), as a timestamptz. The arithmetic is done
     * on the UTC wall clock: timestamp + interval is IMMUTABLE where timestamptz + interval is only
     * STABLE, and Citus refuses a STABLE function over a column in an UPDATE. For whole seconds the two
     * give the same instant (no day or month parts, so no time-zone rule applies).
     */
    public static String secondsAfter(String instant, String seconds) {
        return "((" + instant + " AT TIME ZONE 'UTC') + " + seconds + " * interval '1 second') AT TIME ZONE 'UTC'";
    }

    /** An exact interval literal: microseconds are PostgreSQL's timestamp resolution. */
    public static String interval(Duration d) {
        long micros = Math.multiplyExact(d.getSeconds(), 1_000_000L) + d.getNano() / 1_000;
        return "interval '" + micros + " microseconds'";
    }
}
