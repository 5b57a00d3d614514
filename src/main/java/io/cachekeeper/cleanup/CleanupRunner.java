package io.cachekeeper.cleanup;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.cachekeeper.config.CachekeeperConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

/**
 * Owns this instance's single cleanup slot: at most one pass runs at a time, whoever triggers it.
 * The pass is started here and runs to its end even if the caller (an HTTP client) goes away.
 * On shutdown it asks the running pass to stop after its current batch and waits for it.
 */
@ApplicationScoped
public class CleanupRunner {

    private static final Logger LOG = Logger.getLogger(CleanupRunner.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    private final CleanupPass pass;
    private final CleanupMetrics metrics;
    private final CachekeeperConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean shuttingDown;
    private volatile CompletableFuture<PassReport> current = CompletableFuture.completedFuture(null);
    private volatile PassReport lastRun;

    public CleanupRunner(CleanupPass pass, CleanupMetrics metrics, CachekeeperConfig config) {
        this.pass = pass;
        this.config = config;
        this.metrics = metrics;
    }

    /** Starts a pass now, or returns empty when one is already running in this instance. */
    public Optional<Uni<PassReport>> tryStart(Trigger trigger, boolean dryRun) {
        return tryStart(trigger, dryRun, settings());
    }

    /** The settings a pass takes from the configuration. */
    public PassSettings settings() {
        return PassSettings.of(config.cleanup());
    }

    /** Starts a pass now with the given settings, or returns empty when one is already running in this instance. */
    public Optional<Uni<PassReport>> tryStart(Trigger trigger, boolean dryRun, PassSettings settings) {
        if (shuttingDown || !running.compareAndSet(false, true)) {
            return Optional.empty();
        }
        CompletableFuture<PassReport> done;
        try {
            done = pass.run(trigger, dryRun, settings, () -> shuttingDown)
                    .invoke(this::record)
                    .onTermination().invoke(() -> running.set(false))
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        current = done;
        // Not Uni.createFrom().completionStage(done): cancelling the caller must not cancel the pass.
        return Optional.of(Uni.createFrom().emitter(em -> done.whenComplete((report, failure) -> {
            if (failure != null) {
                em.fail(failure);
            } else {
                em.complete(report);
            }
        })));
    }

    public boolean running() {
        return running.get();
    }

    public Optional<PassReport> lastRun() {
        return Optional.ofNullable(lastRun);
    }

    private void record(PassReport report) {
        lastRun = report;
        metrics.pass(report);
        if (report.completed()) {
            LOG.info(report.logLine());
        } else {
            LOG.warn(report.logLine());
        }
    }

    /**
     * Shutdown begins (SIGTERM): Quarkus then waits for in-flight requests, which may include a
     * manual pass, so tell the pass now to stop after its current batch.
     */
    void onShutdownInitiated(@Observes ShutdownDelayInitiatedEvent event) {
        shuttingDown = true;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shuttingDown = true;
        if (running.get()) {
            LOG.info("shutdown: waiting for the running cleanup pass to finish its current batch");
            try {
                current.get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warnf("shutdown: cleanup pass did not stop cleanly: %s", e.toString());
            }
        }
    }
}
