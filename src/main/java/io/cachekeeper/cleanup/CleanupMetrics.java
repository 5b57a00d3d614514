package io.cachekeeper.cleanup;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * Cleanup metrics, exported at {@code /q/metrics}: {@code cachekeeper_cleanup_purged_total{reason}},
 * the batch timer {@code cachekeeper_cleanup_batch_seconds{path}}, rows per batch
 * {@code cachekeeper_cleanup_batch_rows{path}}, the backlog gauge {@code cachekeeper_cleanup_backlog_rows} and the pass timer
 * {@code cachekeeper_cleanup_pass_seconds{trigger,completed}}.
 */
@Startup // so the counters are exported (at 0) before the first pass
@ApplicationScoped
public class CleanupMetrics {

    private final MeterRegistry registry;
    private final Map<PurgeReason, Counter> purged = new EnumMap<>(PurgeReason.class);
    private final Map<BatchPath, Timer> batches = new EnumMap<>(BatchPath.class);
    private final Map<BatchPath, DistributionSummary> batchRows = new EnumMap<>(BatchPath.class);
    /** Eligible rows the last pass left (0 when it completed; else estimated): see PassProgress.leftOf. */
    private final AtomicLong backlog = new AtomicLong();

    public CleanupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (PurgeReason reason : PurgeReason.values()) {
            purged.put(reason, Counter.builder("cachekeeper.cleanup.purged")
                    .description("Rows permanently deleted by cleanup passes")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
        Gauge.builder("cachekeeper.cleanup.backlog", backlog, AtomicLong::get)
                .description("Rows eligible for purging that the last pass left: 0 when it completed, else the"
                        + " statistics' estimate at its start less what it purged")
                .baseUnit("rows")
                .register(registry);
        for (BatchPath path : BatchPath.values()) {
            batches.put(path, Timer.builder("cachekeeper.cleanup.batch")
                    .description("Duration of one purge batch transaction, by path (heap sweep, index walk, size-cap eviction)")
                    .tag("path", path.tag())
                    .publishPercentiles(0.5, 0.99)
                    .register(registry));
            batchRows.put(path, DistributionSummary.builder("cachekeeper.cleanup.batch.rows")
                    .description("Rows deleted by one purge batch (never more than cachekeeper.cleanup.batch-size)")
                    .tag("path", path.tag())
                    .register(registry));
        }
    }

    void batch(BatchPath path, long deleted, long expired, long nanos) {
        purged.get(PurgeReason.DELETED_PAST_GRACE).increment(deleted);
        purged.get(PurgeReason.EXPIRED_PAST_RETENTION).increment(expired);
        batches.get(path).record(nanos, TimeUnit.NANOSECONDS);
        batchRows.get(path).record(deleted + expired);
    }

    void evicted(long rows, long nanos) {
        purged.get(PurgeReason.EVICTED).increment(rows);
        batches.get(BatchPath.EVICT).record(nanos, TimeUnit.NANOSECONDS);
        batchRows.get(BatchPath.EVICT).record(rows);
    }

    void backlog(long rows) {
        backlog.set(rows);
    }

    void pass(PassReport report) {
        Timer.builder("cachekeeper.cleanup.pass")
                .description("Duration of one cleanup pass")
                .tag("trigger", report.trigger().json())
                .tag("completed", String.valueOf(report.completed()))
                .register(registry)
                .record(report.durationMs(), TimeUnit.MILLISECONDS);
    }
}
