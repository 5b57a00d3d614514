package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/**
 * The lifecycle rules at one instant, in Java, at their boundaries (the same rules as SQL:
 * LifecycleFormsAgreeTest holds the two together on real rows).
 */
class LifecycleClockTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final Duration GRACE = Duration.ofHours(1);
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private final Lifecycle.Clock clock = new Lifecycle.Clock(NOW, GRACE, RETENTION);

    @Test
    void aDeletedEntryIsDeletedForItsGracePeriodAndPurgeableFromItsEnd() {
        assertEquals(EntryState.DELETED, clock.state(NOW, null));
        assertEquals(EntryState.DELETED, clock.state(NOW.minus(GRACE).plusNanos(1000), null));
        assertEquals(EntryState.PURGEABLE, clock.state(NOW.minus(GRACE), null), "the grace period's end is purgeable");
        assertEquals(EntryState.PURGEABLE, clock.state(NOW.minus(GRACE), NOW.plusDays(1)), "deletion wins over expiry");
        assertEquals(NOW.plus(GRACE), clock.purgeAfter(NOW, NOW.minusDays(1)));
    }

    @Test
    void anEntryExpiresAtItsExpiryAndIsPurgeableAfterStaleRetention() {
        assertEquals(EntryState.LIVE, clock.state(null, null));
        assertEquals(EntryState.LIVE, clock.state(null, NOW.plusNanos(1000)));
        assertEquals(EntryState.EXPIRED, clock.state(null, NOW), "expiry is inclusive");
        assertEquals(EntryState.EXPIRED, clock.state(null, NOW.minusDays(1)), "expired, however long ago");
        assertEquals(NOW.plus(RETENTION), clock.purgeAfter(null, NOW));
        assertNull(clock.purgeAfter(null, null), "a live entry without expiry is never purged");
    }
}
