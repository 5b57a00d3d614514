package io.cachekeeper.entry;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;

/**
 * The lifecycle rules in Java, live → expired / deleted → purgeable → purged, at one instant of the database's
 * clock: for the rows a write returned (judged at the {@code updated_at} it set) and the rows the recycle bin's ORM
 * reads, whose state cannot come back computed in the statement. The rules themselves are SQL, written once in the
 * catalogue's {@code lifecycle-rules} ({@code sql/lifecycle.sql}); {@code LifecycleFormsAgreeTest} holds this form
 * to it.
 */
@ApplicationScoped
public class Lifecycle {

    private final Duration gracePeriod;
    private final Duration staleRetention;

    public Lifecycle(CachekeeperConfig config) {
        this.gracePeriod = config.cleanup().gracePeriod();
        this.staleRetention = config.cleanup().staleRetention();
    }

    /** The rules at an instant the database gave (the catalogue's {@code database-clock}, or a write's {@code updated_at}). */
    public Clock at(OffsetDateTime databaseNow) {
        return new Clock(databaseNow, gracePeriod, staleRetention);
    }

    /** The lifecycle rules at one instant of the database clock. */
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
         * parameter it names: for the recycle bin's ORM queries.
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

    /**
     * The SQL catalogue's settings ({@code :'name'}, {@code sql/lifecycle.sql}): the lifecycle's horizons and the
     * upload timeout, fixed for the life of the process.
     */
    public static Map<String, String> catalogueSettings(CachekeeperConfig config) {
        return Map.of("grace_period", interval(config.cleanup().gracePeriod()),
                "stale_retention", interval(config.cleanup().staleRetention()),
                "upload_timeout", interval(config.streamedBodies().uploadTimeout()));
    }

    /** An exact interval, as PostgreSQL reads it: microseconds are its timestamp resolution. */
    static String interval(Duration d) {
        long micros = Math.multiplyExact(d.getSeconds(), 1_000_000L) + d.getNano() / 1_000;
        return micros + " microseconds";
    }
}
