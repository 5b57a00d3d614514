package io.cachekeeper.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The operators' console at {@code /console}: one page and its script and style, served from the class path
 * ({@code console/}), for the admin role with the refusals of {@code /admin} (401 with a Basic challenge, so a
 * browser asks for the login, and 403 for another role). The page is a client of the public API and nothing else:
 * it has no data of its own. Not in the OpenAPI document, which describes the API.
 */
@Path("/console")
@RolesAllowed("admin")
public class ConsoleResource {

    /** What the console serves: name → media type. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html;charset=utf-8",
            "console.js", "text/javascript;charset=utf-8",
            "console.css", "text/css;charset=utf-8");

    /**
     * The page may run only its own script and style, and talk only to its own origin; an image of a cached body
     * is shown from a blob. Text from the store is set as text by the script (console.js), never as markup.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> contents = FILES.keySet().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(name -> name, ConsoleResource::read));

    @GET
    @Operation(hidden = true)
    public Response page() {
        return serve("index.html");
    }

    @GET
    @Path("{file}")
    @Operation(hidden = true)
    public Response file(@PathParam("file") String file) {
        return serve(file);
    }

    private Response serve(String name) {
        byte[] content = contents.get(name);
        if (content == null) {
            throw new NotFoundException();
        }
        return Response.ok(content, FILES.get(name)).header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-cache").build();
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
