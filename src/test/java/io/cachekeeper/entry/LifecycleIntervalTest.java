package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Durations written into the SQL catalogue's settings as exact intervals. */
class LifecycleIntervalTest {

    @Test
    void durationsBecomeMicrosecondLiterals() {
        assertEquals("86400000000 microseconds", Lifecycle.interval(Duration.ofDays(1)));
        assertEquals("1500 microseconds", Lifecycle.interval(Duration.ofNanos(1_500_999)));
        assertEquals("0 microseconds", Lifecycle.interval(Duration.ZERO));
    }
}
