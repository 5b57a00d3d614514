package io.cachekeeper.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every {@code cachekeeper.*} property of the contract (docs/contract.md). Hibernate Validator checks the constraints at
 * start-up, so an invalid value stops the service with a message naming the property.
 */
@ConfigMapping(prefix = "cachekeeper")
public interface CachekeeperConfig {

    /** Also read by http/BodyLimitConfigSource, which derives the HTTP limit from it. */
    String DEFAULT_MAX_BODY_SIZE = "10M";

    /** TTL of an entry stored without {@code ttlSeconds}; absent means "never expires". */
    @WithName("default-ttl")
    Optional<@DurationMin(nanos = 0, message = "must not be negative") Duration> defaultTtl();

    /** Largest accepted response body (decoded bytes). */
    @WithName("max-body-size")
    @WithDefault(DEFAULT_MAX_BODY_SIZE)
    MemorySize maxBodySize();

    /**
     * Bytes of request bodies being received and processed at once; a write beyond it answers 503 with
     * Retry-After. Each body costs about three to four times its size in heap while it is parsed, decoded
     * and written, so the default is an eighth of the maximum heap.
     */
    @WithName("request-body-budget")
    Optional<MemorySize> requestBodyBudget();

    /** Size cap: at most this many entries; a pass evicts the oldest beyond it. Absent: no cap. */
    @WithName("max-entries")
    Optional<@Min(value = 1, message = "must be at least 1") Long> maxEntries();

    /** Size cap: at most this many bytes of response bodies (e.g. 20G); a pass evicts the oldest beyond it. */
    @WithName("max-total-size")
    Optional<MemorySize> maxTotalSize();

    Cleanup cleanup();

    DatabaseLimits database();

    Tags tags();

    Citus citus();

    @WithName("streamed-bodies")
    StreamedBodies streamedBodies();

    /**
     * Bodies uploaded as bytes ({@code POST /bodies}) and read back as bytes ({@code GET /entries/{id}/body}),
     * stored in chunks: the service holds at most two chunks of a request at a time, whatever the body's size.
     */
    interface StreamedBodies {
        /** Largest streamed body; a larger one is refused with 413 (at once when Content-Length says so). */
        @WithName("max-size")
        @WithDefault("1G")
        MemorySize maxSize();

        /** Bytes per stored chunk, and per database write of an upload. */
        @WithName("chunk-size")
        @WithDefault("256K")
        MemorySize chunkSize();

        /**
         * A body no entry holds (an upload broken off, never taken by an entry, or let go of by a replace) is
         * removed by the purge once it was last touched this long ago; so it is also how long a reader of a
         * replaced body has to finish reading it.
         */
        @WithName("upload-timeout")
        @WithDefault("10m")
        @DurationMin(seconds = 1, message = "must be at least 1s")
        Duration uploadTimeout();
    }

    /**
     * Running on a Citus cluster (docs/scale.md): the store's tables distributed by {@code cache_key}, with an
     * id map distributed by {@code id} so that every by-id operation reaches one shard of each.
     */
    interface Citus {
        /**
         * Off: plain PostgreSQL, nothing of this group applies. On: start-up fails unless the database is a Citus coordinator.
         */
        @WithDefault("false")
        boolean enabled();

        /** Shards of each table when start-up distributes them (ignored once they are distributed). */
        @WithName("shard-count")
        @WithDefault("32")
        @Min(value = 1, message = "must be at least 1")
        @Max(value = 64000, message = "must be at most 64000")
        int shardCount();
    }

    /** Invalidation by tag (surrogate keys): what an entry may carry, and where tags come from when a write names none. */
    interface Tags {
        /** The most tags one entry carries (more is a 400 naming the field). */
        @WithName("max-per-entry")
        @WithDefault("64")
        @Min(value = 1, message = "must be at least 1")
        @Max(value = 1000, message = "must be at most 1000")
        int maxPerEntry();

        /**
         * The stored response's headers the tags are taken from when a write gives no {@code tags}, each
         * value split on commas and white space ({@code Surrogate-Key: a b}, {@code Cache-Tag: a,b});
         * {@code none} takes no tags from headers.
         */
        @WithName("from-headers")
        @WithDefault("Surrogate-Key,Cache-Tag")
        java.util.List<String> fromHeaders();
    }

    /** Invalidations of many entries at once ({@code DELETE /entries?tag=} and {@code ?urlPrefix=}). */
    Invalidation invalidation();

    interface Invalidation {
        /** Entries soft-deleted per transaction: a wide invalidation runs as batches of this many, one after another. */
        @WithName("batch-size")
        @WithDefault("1000")
        @Min(value = 1, message = "must be at least 1")
        @Max(value = 100000, message = "must be at most 100000")
        int batchSize();

        /**
         * While other API calls keep arriving, the batches rest so that they take at most this share of the
         * time (the cleanup pass's pacing, {@code cachekeeper.cleanup.share-under-load}); 1: never rest.
         */
        @WithName("share-under-load")
        @WithDefault("0.25")
        @jakarta.validation.constraints.DecimalMin(value = "0.01", message = "must be at least 0.01")
        @jakarta.validation.constraints.DecimalMax(value = "1", message = "must be at most 1")
        double shareUnderLoad();
    }

    /** How long the service waits for PostgreSQL, so that a hung database cannot hang a call, a probe or a pass. */
    interface DatabaseLimits {
        /**
         * The longest any one database interaction may take: waiting for a pooled connection, connecting,
         * and the statement itself. Past it the call answers 503, the connection is closed (never handed to
         * the next call), and the server cancels the statement ({@code statement_timeout}). 5s leaves about ten times the
         * slowest
         * statement on a store of 1,000,000 rows (the stats' scan; docs/performance.md).
         */
        @WithDefault("5s")
        @DurationMin(millis = 100, message = "must be at least 100ms")
        Duration timeout();

        /**
         * Calls that may wait for a pooled connection at once; past it a call answers 503 at once, so a
         * hung database under load cannot pile requests up in memory.
         */
        @WithName("max-wait-queue")
        @WithDefault("1000")
        @Min(value = 1, message = "must be at least 1")
        int maxWaitQueue();

        /**
         * Connections of the key lookups' own client, on which concurrent lookups are pipelined
         * (database/PipelinedReads); 0 sends them through the pool like every other statement.
         */
        @WithName("read-connections")
        @WithDefault("2")
        @Min(value = 0, message = "must be at least 0")
        int readConnections();
    }

    interface Cleanup {
        /** How long a soft-deleted entry stays visible and restorable. */
        @WithName("grace-period")
        @WithDefault("1h")
        @DurationMin(nanos = 0, message = "must not be negative")
        Duration gracePeriod();

        /** Rows deleted per batch, i.e. per short transaction. */
        @WithName("batch-size")
        @WithDefault("200")
        @Min(value = 1, message = "must be at least 1")
        int batchSize();

        /**
         * Batch loops a pass runs side by side, each on its own connection (chunks of the heap or SKIP
         * LOCKED keep them on disjoint rows). Two purge a dense table faster than one DELETE statement
         * on two cores (docs/performance.md); while API calls arrive they split
         * {@code share-under-load} between them.
         */
        @WithDefault("2")
        @Min(value = 1, message = "must be at least 1")
        @Max(value = 16, message = "must be at most 16")
        int workers();

        /**
         * How a pass finds eligible rows: {@code heap} sweeps the table in physical order (cheapest when
         * many rows are eligible), {@code index} walks the partial indexes (cheapest when few are),
         * {@code auto} chooses per pass from the eligible count against the table's pages.
         */
        @WithDefault("auto")
        Strategy strategy();

        enum Strategy {
            AUTO,
            HEAP,
            INDEX
        }

        /**
         * The most of the time a pass's batches may take while API calls ({@code /entries}) keep
         * arriving, split between its workers: after each batch a worker rests on a timer so that the
         * API keeps the database's CPU and WAL bandwidth it needs. With no call since its last batch a
         * worker runs flat out. 1 turns the pacing off (figures in docs/performance.md).
         */
        @WithName("share-under-load")
        @WithDefault("0.1")
        @DecimalMin(value = "0.01", message = "must be at least 0.01")
        @DecimalMax(value = "1", message = "must be at most 1")
        double shareUnderLoad();

        /** Period of the scheduled pass. */
        @WithDefault("60s")
        @DurationMin(seconds = 1, message = "must be at least 1s")
        Duration interval();

        /** Whether the scheduler triggers passes (manual passes always work). */
        @WithDefault("true")
        boolean enabled();

        /** How long an expired (not deleted) entry is kept after its expiry before it may be purged. */
        @WithName("stale-retention")
        @WithDefault("0s")
        @DurationMin(nanos = 0, message = "must not be negative")
        Duration staleRetention();

        /**
         * Longest a pass may run; it stops after the batch that crosses it and reports
         * {@code completed: false}. Bounds a pass so that a stuck one cannot hold the slot forever.
         */
        @WithName("time-budget")
        @WithDefault("5m")
        @DurationMin(millis = 1, message = "must be positive")
        Duration timeBudget();
    }
}
