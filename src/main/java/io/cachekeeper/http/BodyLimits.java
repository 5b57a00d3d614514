package io.cachekeeper.http;

/**
 * How big a request body may be, from {@code cachekeeper.max-body-size} (decoded response-body bytes):
 * the body travels base64-encoded (4/3 larger) inside a JSON envelope, whose other fields (key, URL,
 * headers, metadata) get {@link #ENVELOPE} bytes on top.
 */
public final class BodyLimits {

    /**
     * Where bodies are uploaded as raw bytes, streamed in chunks ({@code io.cachekeeper.body}): their limit is
     * {@code cachekeeper.streamed-bodies.max-size}, and one holds about two chunks of heap whatever its size.
     */
    public static final String STREAMED_PATH = "/bodies";

    /** Room for everything in the JSON besides the base64 body. */
    public static final long ENVELOPE = 1L << 20;

    private BodyLimits() {
    }

    /** The largest request body (bytes on the wire) that can carry a response body of {@code maxBodySize}. */
    public static long requestLimit(long maxBodySize) {
        return (maxBodySize + 2) / 3 * 4 + ENVELOPE;
    }
}
