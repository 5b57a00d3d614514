package io.cachekeeper.admin;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /admin/deletions}: soft deletions still in the store, per hour of the database clock (UTC), oldest hour
 * first, every hour of the span present (0 when none). {@code graceStart}: entries deleted before it are past
 * their grace period and can no longer be restored (the purge takes them); a spike right of it can still be undone.
 */
@RegisterForReflection
public record DeletionHistory(
        @Schema(description = "the database clock when the counts were taken") Instant now,
        @Schema(description = "cachekeeper.cleanup.grace-period, ISO-8601") String gracePeriod,
        @Schema(description = "now minus the grace period: deletions before it are past their grace period") Instant graceStart,
        List<Hour> hours) {

    /** One hour: from {@code start}, inclusive, for an hour; the entries soft-deleted in it that are not purged yet. */
    @RegisterForReflection
    public record Hour(Instant start, long deleted) {
    }
}
