package io.cachekeeper.body.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestResponse.ResponseBuilder;

import io.cachekeeper.body.BodyStore;
import io.cachekeeper.body.BodyUpload;
import io.cachekeeper.http.BodyLimits;
import io.cachekeeper.http.TextRules;
import io.cachekeeper.problem.OpenApiProblems;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /bodies?key=K}: a response body as raw bytes, streamed into chunks ({@link BodyUpload}); the
 * entry that takes it is written next, with {@code response.bodyId} (docs/api.md, "Large bodies"). The
 * method has no body parameter, so Quarkus REST leaves the request paused and unread for the pump.
 */
@Tag(name = "bodies", description = "Response bodies as raw bytes, for entries too large for a JSON document")
@Path(BodyLimits.STREAMED_PATH)
@RolesAllowed("writer")
public class BodyResource {

    private final BodyStore store;

    public BodyResource(BodyStore store) {
        this.store = store;
    }

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a response body as bytes", description = "Streams the request body into the store, chunk by chunk, under a cache key. "
            + "The body is served by no lookup until an entry of that key takes it (POST or PUT /entries with response.bodyId); "
            + "one no entry takes within cachekeeper.streamed-bodies.upload-timeout is removed, as is an upload that broke off.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "stored; its id for response.bodyId", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BodyReceipt.class)))
    @APIResponse(responseCode = "400", description = "no key, or a key too long")
    @APIResponse(responseCode = "413", description = "the body exceeds cachekeeper.streamed-bodies.max-size (at once when Content-Length says so)")
    @APIResponse(responseCode = "415", description = "the request body is not application/octet-stream")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestResponse<BodyReceipt>> upload(
            @Parameter(description = "the cache key of the entry that will take the body", required = true) @RestQuery("key") String key,
            HttpServerRequest request) {
        if (key == null) {
            throw ProblemException.badRequest("key", "query parameter is required");
        }
        // The key of the entry that will take the body, so the same rules as an entry's cacheKey.
        if (key.trim().isEmpty() || TextRules.length(key) > TextRules.MAX_TEXT) {
            throw ProblemException.badRequest("key", "must be 1 to " + TextRules.MAX_TEXT + " characters, not blank");
        }
        String problem = TextRules.notPlain(key);
        if (problem != null) {
            throw ProblemException.badRequest("key", problem);
        }
        return store.start(key).chain(body -> BodyUpload.run(store, request, body)
                .map(size -> ResponseBuilder.create(RestResponse.Status.CREATED, new BodyReceipt(body.id(), key, size))
                        .build()));
    }
}
