package io.cachekeeper.client;

import java.io.FilterInputStream;
import java.io.InputStream;

/**
 * An entry's body as the service streams it ({@link CachekeeperClient#readBody}): read it like any stream and
 * close it. {@code length} is the bytes it holds (the range's, for a range), {@code version} the entry's at
 * the read: a body is never changed in place, so the bytes are that version's, whole.
 */
public final class BodyStream extends FilterInputStream {

    private final long length;
    private final long version;

    BodyStream(InputStream in, long length, long version) {
        super(in);
        this.length = length;
        this.version = version;
    }

    public long length() {
        return length;
    }

    public long version() {
        return version;
    }
}
