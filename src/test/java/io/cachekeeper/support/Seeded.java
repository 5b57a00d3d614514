package io.cachekeeper.support;

/**
 * The lifecycle states {@link Db#seed} writes rows in, as the columns a row in that state has: a typo is a
 * compile error, not a live row.
 */
public enum Seeded {
    /** Neither deleted nor expiring. */
    LIVE("NULL", "NULL"),
    /** Expired a second ago (stale retention running). */
    EXPIRED("NULL", "now() - interval '1 second'"),
    /** Soft-deleted a second ago (grace period running). */
    DELETED("now() - interval '1 second'", "NULL"),
    /** Soft-deleted two days ago: past the default grace period. */
    PURGEABLE("now() - interval '2 days'", "NULL"),
    /** Expired two days ago: past the default stale retention. */
    STALE("NULL", "now() - interval '2 days'");

    final String deletedAt;
    final String expiresAt;

    Seeded(String deletedAt, String expiresAt) {
        this.deletedAt = deletedAt;
        this.expiresAt = expiresAt;
    }
}
