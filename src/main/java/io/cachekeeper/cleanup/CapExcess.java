package io.cachekeeper.cleanup;

import java.util.Optional;

/**
 * How far the store is over its size caps: the entries and the body bytes eviction must still take away,
 * never below zero. An uncapped measure is never over.
 */
record CapExcess(long rows, long bytes) {

    static CapExcess of(long entries, long bodyBytes, Optional<Long> maxEntries, Optional<Long> maxBodyBytes) {
        return new CapExcess(maxEntries.map(max -> Math.max(0, entries - max)).orElse(0L),
                maxBodyBytes.map(max -> Math.max(0, bodyBytes - max)).orElse(0L));
    }

    /** Whether anything must still go. */
    boolean over() {
        return rows > 0 || bytes > 0;
    }

    /** What is left over after a batch evicted {@code evictedRows} entries of {@code evictedBytes} bytes. */
    CapExcess after(long evictedRows, long evictedBytes) {
        return new CapExcess(Math.max(0, rows - evictedRows), Math.max(0, bytes - evictedBytes));
    }
}
