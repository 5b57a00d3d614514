package io.cachekeeper.cleanup;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one cleanup pass did. {@code purged = purgedDeleted + purgedExpired + purgedEvicted} (evicted:
 * removed to get under a size cap); for a dry run the counts are what would be purged (eviction is
 * not estimated: 0). {@code completed} is false when the pass stopped early (time
 * budget, shutdown, or a database error, then with {@code error}).
 */
@RegisterForReflection
public record PassReport(
        Trigger trigger,
        boolean dryRun,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        int batches,
        long slowestBatchMs,
        long purgedDeleted,
        long purgedExpired,
        long purgedEvicted,
        long purged,
        boolean completed,
        String error) {

    /** The one log line per pass. */
    public String logLine() {
        return String.format(
                "cleanup pass %s%s: purged=%d (deleted=%d, expired=%d, evicted=%d) batches=%d slowestBatchMs=%d durationMs=%d completed=%s%s",
                trigger.json(), dryRun ? " (dry run)" : "", purged, purgedDeleted, purgedExpired, purgedEvicted, batches,
                slowestBatchMs, durationMs, completed, error == null ? "" : " error=\"" + error + "\"");
    }
}
