package io.cachekeeper.client;

import java.io.IOException;

/**
 * cachekeeper answered with an error (an RFC 9457 problem): {@code status} is the HTTP status,
 * {@code field} names the offending input when there is one. A failure to reach the service at all
 * is a plain {@link IOException} instead.
 */
public class CachekeeperProblem extends IOException {

    private final int status;
    private final String title;
    private final String detail;
    private final String field;

    public CachekeeperProblem(int status, String title, String detail, String field) {
        super(status + " " + (title == null ? "" : title) + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public String field() {
        return field;
    }
}
