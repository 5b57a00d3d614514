package io.cachekeeper.entry.api;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.cachekeeper.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/**
 * An {@code If-Match} header sent empty is malformed (RFC 9110: at least one entity tag, or {@code *}). The
 * framework hands a resource an empty header as no header at all, which would make the write unconditional; this
 * filter sees the request as it came and refuses it first, naming the header ({@link Preconditions} parses the rest).
 */
public class EmptyIfMatch {

    @ServerRequestFilter
    public void refuseEmpty(HttpServerRequest request) {
        for (String value : request.headers().getAll(Preconditions.IF_MATCH)) {
            if (value.isBlank()) {
                throw ProblemException.badRequest(Preconditions.IF_MATCH,
                        "empty: expected * or a list of entity tags such as \"3\"");
            }
        }
    }
}
