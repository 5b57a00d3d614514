package io.cachekeeper.cleanup;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import io.cachekeeper.config.CachekeeperConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;

/**
 * The scheduled trigger: every {@code cachekeeper.cleanup.interval} it starts a pass unless cleanup
 * is disabled or a pass is still running here. Returning a {@code Uni} keeps the tick on the event
 * loop without blocking it (the pass is non-blocking all the way down).
 */
@ApplicationScoped
public class CleanupScheduler {

    static final String JOB = "cachekeeper-cleanup";

    private final CleanupRunner runner;
    private final Scheduler scheduler;
    private final CachekeeperConfig config;

    public CleanupScheduler(CleanupRunner runner, Scheduler scheduler, CachekeeperConfig config) {
        this.runner = runner;
        this.scheduler = scheduler;
        this.config = config;
    }

    @Scheduled(identity = JOB, every = "${cachekeeper.cleanup.interval}", delayed = "${cachekeeper.cleanup.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Disabled.class)
    Uni<Void> tick() {
        return runner.tryStart(Trigger.SCHEDULED, false)
                .map(Uni::replaceWithVoid)
                .orElseGet(() -> Uni.createFrom().voidItem());
    }

    /** When the next scheduled pass is due; empty when scheduled cleanup is disabled. */
    public Optional<Instant> nextRun() {
        if (!config.cleanup().enabled()) {
            return Optional.empty();
        }
        return Optional.ofNullable(scheduler.getScheduledJob(JOB)).map(job -> job.getNextFireTime());
    }

    /** Skips ticks while {@code cachekeeper.cleanup.enabled=false}. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final CachekeeperConfig config;

        public Disabled(CachekeeperConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.cleanup().enabled();
        }
    }
}
