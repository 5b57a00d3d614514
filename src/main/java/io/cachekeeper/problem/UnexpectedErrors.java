package io.cachekeeper.problem;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Counts the answers of 500 ({@code cachekeeper_http_unexpected_errors_total}): each is a bug, and the
 * alert {@code CachekeeperUnexpectedError} fires on any. Created at start-up so that the series exists,
 * at 0, before the first one.
 */
@Startup
@Singleton
public class UnexpectedErrors {

    private final Counter counter;

    public UnexpectedErrors(MeterRegistry registry) {
        this.counter = Counter.builder("cachekeeper.http.unexpected.errors")
                .description("Requests answered 500: a failure the service did not expect, logged with its stack trace")
                .register(registry);
    }

    void count() {
        counter.increment();
    }
}
