package io.cachekeeper.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Credentials verified a moment ago, so that a client sending the same HTTP Basic credentials on every call
 * is not checked against the password store (a hop to a worker thread and a digest) every time.
 *
 * <p>
 * No password is kept, not even its plain digest: an entry is found by SHA-256 over a random salt
 * drawn at start-up, the user name and the password, so a heap dump shows neither the passwords nor a
 * value that could be tried offline against a list without the salt. Entries expire after {@code ttl}
 * (a user removed or a password changed needs a restart anyway: the users are configuration); at most
 * {@code capacity} are held, and when full the map is emptied rather than grown. Only successes are kept:
 * a wrong password is checked against the store every time.
 */
public final class VerifiedCredentials<T> {

    private static final MessageDigest SHA_256 = lookUp();

    private final byte[] salt = new byte[32];
    private final Map<Key, Verified<T>> verified = new ConcurrentHashMap<>();
    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    public VerifiedCredentials(int capacity, Duration ttl, LongSupplier nanoTime) {
        new SecureRandom().nextBytes(salt);
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** What was verified for these credentials within the TTL, or null. */
    public T get(String user, char[] password) {
        Key key = key(user, password);
        Verified<T> hit = verified.get(key);
        if (hit == null) {
            return null;
        }
        if (nanoTime.getAsLong() - hit.at() > ttlNanos) {
            verified.remove(key, hit);
            return null;
        }
        return hit.value();
    }

    /** Remembers that these credentials were verified, as {@code value}. */
    public void put(String user, char[] password, T value) {
        if (verified.size() >= capacity) {
            verified.clear();
        }
        verified.put(key(user, password), new Verified<>(value, nanoTime.getAsLong()));
    }

    int size() {
        return verified.size();
    }

    private Key key(String user, char[] password) {
        MessageDigest sha256 = sha256();
        sha256.update(salt);
        sha256.update(user.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        sha256.update(utf8);
        // The encoder's buffer held the password: wipe it.
        Arrays.fill(utf8.array(), (byte) 0);
        return new Key(sha256.digest());
    }

    /** A fresh digest, cloned from one looked up once: cheaper than a provider lookup per call. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private record Verified<T>(T value, long at) {
    }

    /** A digest as a map key: arrays compare by identity, this by content. */
    private record Key(byte[] digest) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && MessageDigest.isEqual(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }
    }
}
