package io.cachekeeper.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The cache of verified credentials, on its own (no application): hits, misses, expiry, bound. */
class VerifiedCredentialsTest {

    private final AtomicLong now = new AtomicLong();
    private final VerifiedCredentials<String> cache = new VerifiedCredentials<>(3, Duration.ofSeconds(10), now::get);

    @Test
    void theSameCredentialsHitOtherPasswordsAndUsersMiss() {
        cache.put("writer", "s3cret".toCharArray(), "identity of writer");
        assertEquals("identity of writer", cache.get("writer", "s3cret".toCharArray()));
        assertNull(cache.get("writer", "s3cret!".toCharArray()));
        assertNull(cache.get("writer", "".toCharArray()));
        assertNull(cache.get("admin", "s3cret".toCharArray()));
        // The separator keeps "ab" + "c" apart from "a" + "bc".
        cache.put("ab", "c".toCharArray(), "ab");
        assertNull(cache.get("a", "bc".toCharArray()));
    }

    @Test
    void anEntryExpiresAfterItsTtl() {
        cache.put("reader", "pw".toCharArray(), "identity");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals("identity", cache.get("reader", "pw".toCharArray()));
        now.addAndGet(1);
        assertNull(cache.get("reader", "pw".toCharArray()));
        assertEquals(0, cache.size(), "an expired entry is dropped when met");
    }

    @Test
    void theCacheNeverHoldsMoreThanItsCapacity() {
        for (int i = 0; i < 10; i++) {
            cache.put("user" + i, "pw".toCharArray(), "u" + i);
            assertEquals(true, cache.size() <= 3, "size " + cache.size());
        }
        assertEquals("u9", cache.get("user9", "pw".toCharArray()));
    }

    @Test
    void keysAreSaltedPerCacheSoAnotherStartKnowsNothing() {
        VerifiedCredentials<String> other = new VerifiedCredentials<>(3, Duration.ofSeconds(10), now::get);
        cache.put("writer", "pw".toCharArray(), "here");
        assertNull(other.get("writer", "pw".toCharArray()));
    }
}
