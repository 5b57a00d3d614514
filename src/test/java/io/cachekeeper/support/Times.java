package io.cachekeeper.support;

import java.time.Duration;

/** SQL time arithmetic for the tests' own statements, which move rows' times into the past. */
public final class Times {

    private Times() {
    }

    /**
     * {@code seconds} after {@code instant} (both SQL expressions), on the UTC wall clock: the form Citus accepts over
     * a column in an UPDATE (timestamp + interval is IMMUTABLE, timestamptz + interval only STABLE).
     */
    public static String secondsAfter(String instant, String seconds) {
        return "((" + instant + " AT TIME ZONE 'UTC') + " + seconds + " * interval '1 second') AT TIME ZONE 'UTC'";
    }

    /** An exact interval literal. */
    public static String interval(Duration d) {
        long micros = Math.multiplyExact(d.getSeconds(), 1_000_000L) + d.getNano() / 1_000;
        return "interval '" + micros + " microseconds'";
    }
}
