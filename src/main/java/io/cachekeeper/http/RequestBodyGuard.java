package io.cachekeeper.http;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.problem.Problem;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Admission of request bodies, before any byte of them is buffered: a declared {@code Content-Length}
 * over the limit ({@link BodyLimits}) is refused at once with 413, and every body reserves its size
 * (the limit, when chunked) from a shared budget ({@code cachekeeper.request-body-budget}) until its
 * response is sent; a body that does not fit the budget gets 503 with {@code Retry-After} and nothing
 * is stored. So concurrent large writes queue at the client instead of running the heap out. A client
 * that sends {@code Expect: 100-continue} gets its {@code 100 Continue} only once admitted, so a refused
 * body is never sent at all.
 *
 * <p>
 * A streamed upload ({@link BodyLimits#STREAMED_PATH}) is never buffered: its limit is
 * {@code cachekeeper.streamed-bodies.max-size}, and it reserves what it holds at most, two chunks. Its
 * {@code Content-Length} is checked here and then taken off the request's headers (the body is framed by the
 * connection already), so that Quarkus's own check of the length against the JSON limit lets it through.
 */
@ApplicationScoped
public class RequestBodyGuard {

    private static final Logger LOG = Logger.getLogger(RequestBodyGuard.class);

    private final long limit;
    private final long budget;
    private final AtomicLong available;
    private final ObjectMapper json;
    private final long streamedLimit;
    private final long streamedHeld;

    public RequestBodyGuard(CachekeeperConfig config, ObjectMapper json) {
        this.limit = BodyLimits.requestLimit(config.maxBodySize().asLongValue());
        this.streamedLimit = config.streamedBodies().maxSize().asLongValue();
        this.streamedHeld = 2 * config.streamedBodies().chunkSize().asLongValue();
        this.budget = config.requestBodyBudget().map(MemorySize::asLongValue)
                .orElse(Runtime.getRuntime().maxMemory() / 8);
        this.available = new AtomicLong(budget);
        this.json = json;
    }

    void install(@Observes Router router) {
        // Ahead of every other route but the head's limits, so nothing has read the body yet.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::admit);
        LOG.debugf("request bodies: at most %d bytes each, %d bytes in flight", limit, budget);
    }

    void admit(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.POST && method != HttpMethod.PUT) {
            ctx.next();
            return;
        }
        boolean streamed = method == HttpMethod.POST && BodyLimits.STREAMED_PATH.equals(ctx.normalizedPath());
        long max = streamed ? streamedLimit : limit;
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        long size;
        try {
            // Chunked: the size is unknown, so the most it may grow to is reserved.
            size = declared != null ? Long.parseLong(declared.trim()) : chunked ? max : 0;
        } catch (NumberFormatException e) {
            size = max;
        }
        if (size == 0) {
            ctx.next(); // no body (refresh, restore, admin calls): nothing to admit
            return;
        }
        if (size > max) {
            refuse(ctx, 413, "request body of " + size + " bytes exceeds " + max + (streamed
                    ? " bytes (cachekeeper.streamed-bodies.max-size)"
                    : " bytes (cachekeeper.max-body-size, base64-encoded, plus the JSON around it)"), null);
            return;
        }
        if (streamed) {
            ctx.request().headers().remove(HttpHeaders.CONTENT_LENGTH);
        }
        // A budget smaller than one request's limit still admits one body at a time.
        long reserved = Math.min(streamed ? Math.min(size, streamedHeld) : size, budget);
        if (available.addAndGet(-reserved) < 0) {
            available.addAndGet(reserved);
            refuse(ctx, 503, "too many large request bodies in flight (cachekeeper.request-body-budget); try again later",
                    "1");
            return;
        }
        ctx.addEndHandler(ended -> available.addAndGet(reserved));
        if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
            // The client waits for this before sending the body: only now is the body welcome.
            ctx.response().writeContinue();
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, int status, String detail, String retryAfter) {
        var response = ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                // The unread body would otherwise follow on this connection: close it after the answer.
                .putHeader(HttpHeaders.CONNECTION, "close");
        if (retryAfter != null) {
            response.putHeader("Retry-After", retryAfter);
        }
        String title = status == 413 ? "Request Entity Too Large" : "Service Unavailable";
        try {
            response.end(json.writeValueAsString(new Problem("about:blank", title, status, detail,
                    ctx.request().path(), null)));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
