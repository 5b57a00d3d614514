package io.cachekeeper.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /admin/stats}: row counts by lifecycle state ({@code total} = the sum), bytes of response
 * bodies in the same split, and the size caps with how full the store is (null when no cap is set).
 */
@RegisterForReflection
public record StoreStats(long total, long live, long expired, long deleted, long purgeable, Bytes bodyBytes,
        Caps caps, Streamed streamed) {

    /**
     * Bodies uploaded as bytes, in chunks: all of them ({@code bodies}, {@code bytes}; an unfinished upload's
     * bytes so far), and of those the ones no entry holds (uploads not yet taken, broken off, or let go of by a
     * replace: the purge removes them after {@code cachekeeper.streamed-bodies.upload-timeout}).
     */
    @RegisterForReflection
    public record Streamed(long bodies, long bytes, long unheldBodies, long unheldBytes) {
    }

    @RegisterForReflection
    public record Bytes(long total, long live, long expired, long deleted, long purgeable) {
    }

    /** {@code entriesFull} / {@code totalSizeFull}: the store's share of each cap (1.0 = at the cap). */
    @RegisterForReflection
    public record Caps(
            @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "null: no cap") Long maxEntries,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "null: no cap") Double entriesFull,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "null: no cap") Long maxTotalSize,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true, description = "null: no cap") Double totalSizeFull) {
    }
}
