package io.cachekeeper.cleanup;

import java.util.Locale;

/** How a batch found its rows: the {@code path} tag of the batch metrics. */
public enum BatchPath {
    /** The heap sweep ({@link HeapSweep}). */
    HEAP,
    /** The index walk ({@link PurgeBatch}). */
    INDEX,
    /** A shard's batch on Citus ({@link ShardPurge}). */
    SHARD,
    /** Size-cap eviction ({@link SizeCapEviction}). */
    EVICT;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
