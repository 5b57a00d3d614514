package io.cachekeeper.http;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The limits of a request's head, answered as problem+json: a request line over {@link #REQUEST_LINE}
 * bytes is a 414, headers over {@link #HEADERS} bytes a 431. Vert.x refuses what its codec cannot take
 * before any handler of the service runs, with an empty body (Quarkus offers no hook for its invalid-request
 * handler), so its own limits are set to {@link #HARD_FACTOR} times these ({@link BodyLimitConfigSource}):
 * a request between the two reaches this route and gets its problem; only one beyond them, or one the codec
 * cannot parse at all, gets Vert.x's bare answer (docs/api.md).
 */
@ApplicationScoped
public class RequestHeadLimits {

    /**
     * The longest request line (method, target, version): a key and a URL prefix of {@link TextRules#MAX_TEXT}
     * characters each fit, however they are spelled: a character outside the BMP is 4 bytes of UTF-8, 12 bytes
     * percent-encoded (a cacheKey the API accepts must be one it can look up), with 16 KiB for the rest.
     */
    public static final int REQUEST_LINE = 2 * TextRules.MAX_TEXT * 12 + 16 * 1024;
    /** The most bytes of header lines. */
    public static final int HEADERS = 20 * 1024;
    /** Vert.x's own limits, as a multiple of ours. */
    static final int HARD_FACTOR = 2;

    private static final int CRLF = 2;
    private static final int SEPARATOR = 2; // ": "
    private static final int VERSION = " HTTP/1.1".length();

    private final ObjectMapper json;

    public RequestHeadLimits(ObjectMapper json) {
        this.json = json;
    }

    /** The properties of Vert.x's codec that follow from these limits. */
    static Map<String, String> vertxLimits() {
        return Map.of("quarkus.http.limits.max-initial-line-length", String.valueOf(HARD_FACTOR * REQUEST_LINE),
                "quarkus.http.limits.max-header-size", String.valueOf(HARD_FACTOR * HEADERS));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method().name().length() + 1 + request.uri().length() + VERSION > REQUEST_LINE) {
            refuse(ctx, 414, "URI Too Long", "the request line exceeds " + REQUEST_LINE + " bytes");
            return;
        }
        long size = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            size += header.getKey().length() + SEPARATOR + header.getValue().length() + CRLF;
        }
        if (size > HEADERS) {
            refuse(ctx, 431, "Request Header Fields Too Large", "the request's headers exceed " + HEADERS + " bytes");
            return;
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, int status, String title, String detail) {
        var response = ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close"); // a body may follow the head: not read
        try {
            response.end(
                    json.writeValueAsString(new Problem("about:blank", title, status, detail, ctx.request().path(), null)));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
