package io.cachekeeper.cleanup;

import java.time.Duration;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;

/**
 * What one pass runs with. Every pass the service starts takes them from the configuration
 * ({@link #of}); they are a value of their own so that a pass's caller can give different ones (the
 * tests run passes of small batches, one strategy or many workers in one running service).
 */
public record PassSettings(int batchSize, int workers, Strategy strategy, double shareUnderLoad, Duration timeBudget) {

    public static PassSettings of(CachekeeperConfig.Cleanup cleanup) {
        return new PassSettings(cleanup.batchSize(), cleanup.workers(), cleanup.strategy(), cleanup.shareUnderLoad(),
                cleanup.timeBudget());
    }

    public PassSettings withBatchSize(int rows) {
        return new PassSettings(rows, workers, strategy, shareUnderLoad, timeBudget);
    }

    public PassSettings withWorkers(int count) {
        return new PassSettings(batchSize, count, strategy, shareUnderLoad, timeBudget);
    }

    public PassSettings withStrategy(Strategy path) {
        return new PassSettings(batchSize, workers, path, shareUnderLoad, timeBudget);
    }

    public PassSettings withShareUnderLoad(double share) {
        return new PassSettings(batchSize, workers, strategy, share, timeBudget);
    }

    public PassSettings withTimeBudget(Duration budget) {
        return new PassSettings(batchSize, workers, strategy, shareUnderLoad, budget);
    }
}
