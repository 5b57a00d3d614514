package io.cachekeeper.cleanup;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Cleanup metrics, exported at {@code /q/metrics}: {@code cachekeeper_cleanup_purged_total{reason}},
 * the batch timer {@code cachekeeper_cleanup_batch_seconds} and the pass timer
 * {@code cachekeeper_cleanup_pass_seconds{trigger,completed}}.
 */
@Startup // so the counters are exported (at 0) before the first pass
@ApplicationScoped
public class CleanupMetrics {

    private final MeterRegistry registry;
    private final Map<PurgeReason, Counter> purged = new EnumMap<>(PurgeReason.class);
    private final Map<PurgeReason, Timer> batches = new EnumMap<>(PurgeReason.class);

    public CleanupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (PurgeReason reason : PurgeReason.values()) {
            purged.put(reason, Counter.builder("cachekeeper.cleanup.purged")
                    .description("Rows permanently deleted by cleanup passes")
                    .tag("reason", reason.tag())
                    .register(registry));
            batches.put(reason, Timer.builder("cachekeeper.cleanup.batch")
                    .description("Duration of one purge batch transaction")
                    .tag("reason", reason.tag())
                    .publishPercentiles(0.5, 0.99)
                    .register(registry));
        }
    }

    void batch(PurgeReason reason, int deleted, long nanos) {
        purged.get(reason).increment(deleted);
        batches.get(reason).record(nanos, TimeUnit.NANOSECONDS);
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
