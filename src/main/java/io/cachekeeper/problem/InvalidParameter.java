package io.cachekeeper.problem;

import jakarta.ws.rs.BadRequestException;

/**
 * A path or query parameter that does not parse. A WebApplicationException, so RESTEasy Reactive
 * passes it out of a ParamConverter as is (any other failure there becomes a bare 404); the
 * {@link ProblemMappers} answer it as a 400 naming the parameter.
 */
public final class InvalidParameter extends BadRequestException {

    private final String name;
    private final String detail;

    public InvalidParameter(String name, String detail) {
        super(name + ": " + detail);
        this.name = name;
        this.detail = detail;
    }

    ProblemException problem() {
        return ProblemException.badRequest(name, detail);
    }
}
