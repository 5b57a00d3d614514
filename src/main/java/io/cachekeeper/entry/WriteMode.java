package io.cachekeeper.entry;

/**
 * How a write treats what its content leaves unsaid. {@code keepBody}: a replace keeps the body the entry has
 * (in the row or streamed), so a client that changes only headers or metadata (a 304 revalidation) sends no
 * bytes; it keeps the entry's key too, since a streamed body belongs to its key. {@code neverExpires}: the entry
 * gets no TTL and no expiry, whatever {@code cachekeeper.default-ttl} is.
 */
public record WriteMode(boolean keepBody, boolean neverExpires) {

    /** A write that says nothing beyond its content. */
    public static final WriteMode PLAIN = new WriteMode(false, false);
}
