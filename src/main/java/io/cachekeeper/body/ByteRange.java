package io.cachekeeper.body;

import io.cachekeeper.problem.ProblemException;

/**
 * The bytes a read asks for (RFC 9110 §14): one {@code Range: bytes=…} range of a body of {@code size} bytes,
 * {@code from} and {@code to} inclusive. Several ranges, another unit or a malformed header are ignored (the
 * whole body is served, as the RFC allows); a range that starts past the end is 416.
 */
public record ByteRange(long from, long to, boolean partial) {

    /** The range {@code header} names in a body of {@code size} bytes; the whole body without one. */
    public static ByteRange of(String header, long size) {
        ByteRange whole = new ByteRange(0, size - 1, false);
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return whole;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return whole;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) { // bytes=-n: the last n bytes
                long n = Long.parseLong(last);
                if (n <= 0) {
                    throw unsatisfiable(size);
                }
                return size == 0 ? whole : new ByteRange(Math.max(0, size - n), size - 1, true);
            }
            long from = Long.parseLong(first);
            long to = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (from < 0 || !last.isEmpty() && Long.parseLong(last) < from) {
                return whole; // not a valid range: ignored
            }
            if (from >= size) {
                throw unsatisfiable(size);
            }
            return new ByteRange(from, to, true);
        } catch (NumberFormatException e) {
            return whole;
        }
    }

    /** Bytes in the range. */
    public long length() {
        return to - from + 1;
    }

    /** The {@code Content-Range} of a partial answer. */
    public String contentRange(long size) {
        return "bytes " + from + "-" + to + "/" + size;
    }

    private static ProblemException unsatisfiable(long size) {
        return new ProblemException(416, "Range: the body has " + size + " bytes (Content-Range: bytes */" + size + ")",
                "Range");
    }
}
