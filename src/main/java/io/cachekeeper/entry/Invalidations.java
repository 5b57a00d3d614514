package io.cachekeeper.entry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Counts invalidations of many entries by their kind: {@code cachekeeper_invalidations_total{kind}} calls
 * and {@code cachekeeper_invalidated_entries_total{kind}} entries they soft-deleted (those of a call that
 * failed part way included). Created at start-up, so that every series exists at 0.
 */
@Startup
@Singleton
public class Invalidations {

    /** What a wide invalidation matches on. */
    public enum Kind {
        KEY,
        PREFIX,
        TAG;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Kind, Counter> calls = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> entries = new EnumMap<>(Kind.class);

    public Invalidations(MeterRegistry registry) {
        for (Kind kind : Kind.values()) {
            calls.put(kind, Counter.builder("cachekeeper.invalidations").tag("kind", kind.label())
                    .description("Invalidations of many entries (DELETE /entries?key=, ?urlPrefix=, ?tag=)")
                    .register(registry));
            entries.put(kind, Counter.builder("cachekeeper.invalidated.entries").tag("kind", kind.label())
                    .description("Entries soft-deleted by invalidations of many entries").register(registry));
        }
    }

    void count(Kind kind, long deleted) {
        calls.get(kind).increment();
        entries.get(kind).increment(deleted);
    }
}
