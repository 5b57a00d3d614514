package io.cachekeeper.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Every {@code cachekeeper.*} property of the SPEC. Hibernate Validator checks the constraints at
 * start-up, so an invalid value stops the service with a message naming the property.
 */
@ConfigMapping(prefix = "cachekeeper")
public interface CachekeeperConfig {

    /** TTL of an entry stored without {@code ttlSeconds}; absent means "never expires". */
    @WithName("default-ttl")
    Optional<@DurationMin(nanos = 0, message = "must not be negative") Duration> defaultTtl();

    /** Largest accepted response body (decoded bytes). */
    @WithName("max-body-size")
    @WithDefault("10M")
    MemorySize maxBodySize();

    Cleanup cleanup();

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
         * Batch loops a pass runs side by side, each on its own connection (SKIP LOCKED keeps them on
         * disjoint rows). One keeps the API's latency steady during a pass; more purge a backlog
         * faster at the API's expense (figures in README.md, "Performance").
         */
        @WithDefault("1")
        @Min(value = 1, message = "must be at least 1")
        @jakarta.validation.constraints.Max(value = 16, message = "must be at most 16")
        int workers();

        /**
         * How a pass finds eligible rows: {@code heap} sweeps the table in physical order (cheapest when
         * many rows are eligible), {@code index} walks the partial indexes (cheapest when few are),
         * {@code auto} chooses per pass from the eligible count against the table's pages.
         */
        @WithDefault("auto")
        Strategy strategy();

        enum Strategy {
            AUTO, HEAP, INDEX
        }

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
