package io.cachekeeper.admin;

import java.time.Instant;

import io.cachekeeper.cleanup.PassReport;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /admin/cleanup}: whether a pass runs here, the last one, the effective settings, the next run. */
@RegisterForReflection
public record CleanupStatus(boolean running,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "null until a pass ran here") PassReport lastRun,
        Settings configuration,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "null when scheduled passes are off") Instant nextRun) {

    /** The effective {@code cachekeeper.cleanup.*} values (durations in ISO-8601, e.g. PT1H). */
    @RegisterForReflection
    public record Settings(boolean enabled, String interval, String gracePeriod, String staleRetention,
            int batchSize, int workers, String timeBudget, String strategy, double shareUnderLoad) {
    }
}
