package io.cachekeeper.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Recognises "the database cannot be reached" among the failures the reactive client reports. */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof TimeoutException) {
                return true;
            }
            String message = String.valueOf(t.getMessage()).toLowerCase();
            if (message.contains("connection refused") || message.contains("connection is closed")
                    || message.contains("timeout") || message.contains("closed connection")) {
                return true;
            }
        }
        return false;
    }
}
