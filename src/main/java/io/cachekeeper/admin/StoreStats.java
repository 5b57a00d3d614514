package io.cachekeeper.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /admin/stats}: row counts by lifecycle state ({@code total} = the sum), bytes of response
 * bodies in the same split, and the size caps with how full the store is (null when no cap is set).
 */
@RegisterForReflection
public record StoreStats(long total, long live, long expired, long deleted, long purgeable, Bytes bodyBytes,
        Caps caps) {

    @RegisterForReflection
    public record Bytes(long total, long live, long expired, long deleted, long purgeable) {
    }

    /** {@code entriesFull} / {@code totalSizeFull}: the store's share of each cap (1.0 = at the cap). */
    @RegisterForReflection
    public record Caps(Long maxEntries, Double entriesFull, Long maxTotalSize, Double totalSizeFull) {
    }
}
