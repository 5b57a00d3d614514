package io.cachekeeper.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.problem.ProblemMappers;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The methods each path of the API answers, read from the OpenAPI document (every operation is documented,
 * {@code OpenApiContractIT}), so that the two cannot disagree: a 405 carries them in {@code Allow}, as HTTP requires,
 * and {@code OPTIONS} answers them (the framework's own answer listed every method of a resource class on each of
 * its paths). {@code HEAD} is answered wherever {@code GET} is.
 */
@Singleton
public class AllowedMethods {

    private final OpenApiDocumentService documents;
    private final ObjectMapper json;
    private volatile Map<Pattern, String> allowed;

    public AllowedMethods(OpenApiDocumentService documents, ObjectMapper json) {
        this.documents = documents;
        this.json = json;
    }

    /** The {@code Allow} value of a request path, empty when the API has no such path. */
    public Optional<String> of(String path) {
        for (Map.Entry<Pattern, String> route : routes().entrySet()) {
            if (route.getKey().matcher(path).matches()) {
                return Optional.of(route.getValue());
            }
        }
        return Optional.empty();
    }

    /** {@code OPTIONS} on a path of the API: 204 and its methods, before any resource is matched. */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> options(HttpServerRequest request) {
        if (request.method() != HttpMethod.OPTIONS) {
            return Optional.empty();
        }
        return of(request.path()).map(allow -> Response.noContent().header("Allow", allow).build());
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        Response problem = ProblemMappers.respond(405, request.method() + " is not allowed on " + request.path(), null,
                request);
        return of(request.path()).map(allow -> Response.fromResponse(problem).header("Allow", allow).build())
                .orElse(problem);
    }

    private Map<Pattern, String> routes() {
        Map<Pattern, String> routes = allowed;
        if (routes == null) {
            routes = read();
            allowed = routes;
        }
        return routes;
    }

    private Map<Pattern, String> read() {
        JsonNode paths;
        try {
            paths = json.readTree(documents.getDocument("<default>", Format.JSON)).path("paths");
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document does not parse", e);
        }
        // Literal paths before templates, so that /entries/{id} never answers for a literal sibling.
        List<Map.Entry<Pattern, String>> literal = new ArrayList<>();
        List<Map.Entry<Pattern, String>> templated = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            Set<String> methods = new TreeSet<>(Set.of("OPTIONS"));
            path.getValue().fieldNames().forEachRemaining(name -> {
                if (Set.of("get", "put", "post", "delete", "patch").contains(name)) {
                    methods.add(name.toUpperCase(Locale.ROOT));
                }
            });
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            String template = path.getKey();
            Pattern pattern = Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
            (template.contains("{") ? templated : literal).add(Map.entry(pattern, String.join(", ", methods)));
        }
        Map<Pattern, String> routes = new java.util.LinkedHashMap<>();
        literal.forEach(e -> routes.put(e.getKey(), e.getValue()));
        templated.forEach(e -> routes.put(e.getKey(), e.getValue()));
        return routes;
    }
}
