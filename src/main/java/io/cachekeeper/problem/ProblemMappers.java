package io.cachekeeper.problem;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Turns every failure into one RFC 9457 {@code application/problem+json} answer: our own
 * {@link ProblemException}s, bean-validation failures, unreadable JSON, JAX-RS errors (404/405/415…),
 * an unreachable database (503) and anything unexpected (500, logged, no internals leaked).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final UnexpectedErrors unexpected;

    public ProblemMappers(UnexpectedErrors unexpected) {
        this.unexpected = unexpected;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return respond(e.status(), e.getMessage(), e.field(), request);
    }

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameter e, HttpServerRequest request) {
        return problem(e.problem(), request);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, HttpServerRequest request) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .sorted(java.util.Comparator.comparing(v -> v.getPropertyPath().toString()))
                .findFirst().orElse(null);
        String field = first == null ? null : fieldOf(first);
        String detail = e.getConstraintViolations().stream()
                .map(v -> fieldOf(v) + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return respond(400, detail, field, request);
    }

    /** More specific than Quarkus's built-in mapper for this type, so ours answers. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, HttpServerRequest request) {
        return unreadableJson(e, request);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, HttpServerRequest request) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = JsonPaths.of(u.getPath());
            return respond(400, field + ": unknown field", field, request);
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = JsonPaths.of(m.getPath());
            return respond(400, field + ": " + JsonPaths.reason(m), field, request);
        }
        if (e instanceof StreamReadException r && r.getProcessor() != null) {
            // Where the parser stood: for a duplicate member (StrictJson), the member itself.
            String field = JsonPaths.of(r.getProcessor().getParsingContext());
            if (!field.isEmpty()) {
                return respond(400, field + ": " + e.getOriginalMessage(), field, request);
            }
        }
        return respond(400, "malformed JSON: " + e.getOriginalMessage(), null, request);
    }

    @ServerExceptionMapper
    public Response jaxrs(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, request);
        }
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "no such resource: " + request.path();
            case 405 -> request.method() + " is not allowed on " + request.path();
            case 415 -> "unsupported content type: send application/json";
            case 406 -> "not acceptable: this API answers application/json";
            default -> e.getMessage();
        };
        return respond(status, detail, null, request);
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e, HttpServerRequest request) {
        Response problem = respond(401, "authentication required: send HTTP Basic credentials", null, request);
        return Response.fromResponse(problem).header("WWW-Authenticate", "Basic realm=\"cachekeeper\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(403, "your role does not allow " + request.method() + " " + request.path(), null, request);
    }

    /** A wide invalidation the database stopped part way: 503 saying how many were deleted, or a bug. */
    @ServerExceptionMapper
    public Response partialInvalidation(PartialInvalidation e, HttpServerRequest request) {
        if (!DatabaseUnavailable.is(e.getCause())) {
            return unexpected(e, request);
        }
        LOG.warnf("database unavailable on %s %s after %d entries: %s", request.method(), request.path(), e.deleted(),
                e.getCause().toString());
        return Response.fromResponse(respond(503, "database unavailable after " + e.deleted()
                + " entries were soft-deleted; calling again finishes the work", null, request))
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (DatabaseUnavailable.is(e)) {
            LOG.warnf("database unavailable on %s %s: %s", request.method(), request.path(), e.toString());
            return Response.fromResponse(respond(503, "database unavailable, try again later", null, request))
                    .header("Retry-After", "5").build();
        }
        unexpected.count();
        LOG.errorf(e, "unexpected failure on %s %s", request.method(), request.uri());
        return respond(500, "internal error", null, request);
    }

    public static Response respond(int status, String detail, String field, HttpServerRequest request) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        Problem body = new Problem("about:blank", title, status, detail, request.path(), field);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // Paths look like "create.input.response.status": drop the method and parameter names.
        // A violation on the parameter itself (a missing body) is about the whole body.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : "body";
    }
}
