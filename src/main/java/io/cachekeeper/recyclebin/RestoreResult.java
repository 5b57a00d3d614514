package io.cachekeeper.recyclebin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a bulk restore did (or, for a dry run, would do). */
@RegisterForReflection
public record RestoreResult(
        @Schema(description = "entries restored to live (dry run: that would be)") long restored,
        @Schema(description = "matching entries whose grace period is over: no longer restorable") long skipped) {
}
