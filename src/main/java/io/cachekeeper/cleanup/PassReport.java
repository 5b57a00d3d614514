package io.cachekeeper.cleanup;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one cleanup pass did. {@code purged = purgedDeleted + purgedExpired + purgedEvicted} (evicted:
 * removed to get under a size cap); for a dry run the counts are what would be purged (eviction is
 * not estimated: 0). {@code restedMs}: how long the pass's workers rested to give way to API calls
 * (summed over workers; see {@code cachekeeper.cleanup.share-under-load}). {@code completed} is false
 * when the pass stopped early (time budget, shutdown, or a database error, then with {@code error}).
 * {@code removedBodies}: streamed bodies no entry held that the pass removed (uploads broken off or never taken,
 * bodies a replace let go of), once idle for {@code cachekeeper.streamed-bodies.upload-timeout}.
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
        long restedMs,
        long purgedDeleted,
        long purgedExpired,
        long purgedEvicted,
        long purged,
        long removedBodies,
        boolean completed,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "why the pass stopped early; null when it completed") String error) {

    /** The one log line per pass. */
    public String logLine() {
        return String.format(
                "cleanup pass %s%s: purged=%d (deleted=%d, expired=%d, evicted=%d) removedBodies=%d batches=%d slowestBatchMs=%d restedMs=%d durationMs=%d completed=%s%s",
                trigger.json(), dryRun ? " (dry run)" : "", purged, purgedDeleted, purgedExpired, purgedEvicted, removedBodies,
                batches,
                slowestBatchMs, restedMs, durationMs, completed, error == null ? "" : " error=\"" + error + "\"");
    }
}
