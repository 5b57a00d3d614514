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
}
