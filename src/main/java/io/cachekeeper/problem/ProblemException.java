package io.cachekeeper.problem;

/** Thrown anywhere to answer with a problem+json of the given status. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String field;

    public ProblemException(int status, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.field = field;
    }

    public ProblemException(int status, String detail) {
        this(status, detail, null);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(400, field + ": " + detail, field);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail);
    }

    /** 410: the entry is there but past what the operation allows (a restore after the grace period). */
    public static ProblemException gone(String detail) {
        return new ProblemException(410, detail);
    }

    /** 412: {@code If-Match} names another version. */
    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, detail, "If-Match");
    }

    /** 413: a part of the request is larger than allowed. */
    public static ProblemException tooLarge(String field, String detail) {
        return new ProblemException(413, field + ": " + detail, field);
    }
}
