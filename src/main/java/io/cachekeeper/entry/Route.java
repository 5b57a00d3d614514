package io.cachekeeper.entry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * An entry's route: the first 32 bits of the MD5 of its cache key, the column a distributed store is sharded by
 * (docs/scale.md). The ids the service gives new entries carry the route of their key in their first 32 bits
 * (a version 8 UUID, 90 random bits), so that on a distributed store an id names its entry's shard: a by-id call needs the
 * id map ({@code cache_entry_id}) only for ids that do not (a client's own, an entry moved to another key),
 * and the purge deletes no map row for the others. The same rules in SQL are {@code cache_route} and
 * {@code cache_id_route} (migration V11), held to these by {@code RouteTest}.
 */
public final class Route {

    private Route() {
    }

    /** The route of a cache key ({@code cache_route}). */
    public static int ofKey(String cacheKey) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(cacheKey.getBytes(StandardCharsets.UTF_8));
            return (md5[0] & 0xff) << 24 | (md5[1] & 0xff) << 16 | (md5[2] & 0xff) << 8 | (md5[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** The route an id names: its first 32 bits ({@code cache_id_route}). */
    public static int ofId(UUID id) {
        return (int) (id.getMostSignificantBits() >>> 32);
    }

    /** A new id for an entry of {@code cacheKey}: its route, then random bits, as a version 8 UUID. */
    public static UUID newId(String cacheKey) {
        UUID random = UUID.randomUUID(); // the variant bits are set; 90 of its random bits are kept
        long msb = (long) ofKey(cacheKey) << 32 | random.getMostSignificantBits() & 0xffff_0fffL | 0x8000L;
        return new UUID(msb, random.getLeastSignificantBits());
    }

    /** The SQL condition that a row is in the route of the key {@code keyExpression} (a parameter, say). */
    public static String condition(String keyExpression) {
        return "route = cache_route(" + keyExpression + ")";
    }

    /** Whether {@code id} names the route of {@code cacheKey}: then no id map row is needed for it. */
    public static boolean routes(UUID id, String cacheKey) {
        return ofId(id) == ofKey(cacheKey);
    }
}
