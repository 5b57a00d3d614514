package io.cachekeeper.cleanup;

import java.util.Locale;

/**
 * The purge's paths, one enum for all: how a batch found its rows (the {@code path} tag of the batch metrics),
 * and which path a pass takes ({@link PurgePlanner}: heap, index or, on a store in shards, shard; eviction follows every
 * pass whatever its path).
 */
public enum BatchPath {
    /** The heap sweep ({@link HeapSweep}). */
    HEAP,
    /** The index walk ({@link PurgeBatch}). */
    INDEX,
    /** A range of a shard, on a store in shards ({@link ShardSweep}). */
    SHARD,
    /** Size-cap eviction ({@link SizeCapEviction}). */
    EVICT;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
