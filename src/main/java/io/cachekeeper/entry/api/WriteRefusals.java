package io.cachekeeper.entry.api;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.cachekeeper.entry.WriteRefused;
import io.cachekeeper.problem.ProblemException;
import io.cachekeeper.problem.ProblemMappers;
import io.vertx.core.http.HttpServerRequest;

/**
 * The store's refusals of a write, each with its status (docs/contract.md), as the one problem+json shape. Here, beside
 * the resource that answers them, so that the problem package knows nothing of entries.
 */
public class WriteRefusals {

    @ServerExceptionMapper
    public Response writeRefused(WriteRefused e, HttpServerRequest request) {
        String detail = e.getMessage();
        ProblemException problem = switch (e.reason()) {
            case NOT_FOUND -> ProblemException.notFound(detail);
            case OTHER_VERSION -> ProblemException.preconditionFailed(detail);
            case GRACE_OVER -> ProblemException.gone(detail);
            case ID_TAKEN, DELETED, NOT_DELETED, CHANGED_MEANWHILE -> ProblemException.conflict(detail);
        };
        return ProblemMappers.respond(problem.status(), problem.getMessage(), problem.field(), request);
    }
}
