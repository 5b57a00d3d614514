package io.cachekeeper.entry.api;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestResponse.ResponseBuilder;

import io.cachekeeper.problem.ProblemException;

/**
 * How every listing of the API pages (the key lookup, the recycle bin): the page size's default and bounds,
 * its check, and the next page's address in a {@code Link: <…>; rel="next"} header. A listing gives its
 * own query parameters and cursor ({@link PageCursor}); the rest is here, once.
 */
public final class Paging {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private Paging() {
    }

    /** The page size asked for, or a 400 naming {@code limit}. */
    public static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    /** A page of {@code rows}, with a Link to {@code next} when more follow (null: none). */
    public static <T> RestResponse<List<T>> page(List<T> rows, UriBuilder next) {
        ResponseBuilder<List<T>> ok = ResponseBuilder.ok(rows);
        if (next != null) {
            ok.header(HttpHeaders.LINK, "<" + next.build().toASCIIString() + ">; rel=\"next\"");
        }
        return ok.build();
    }
}
