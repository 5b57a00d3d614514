package io.cachekeeper.entry.api;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestResponse.ResponseBuilder;

import io.cachekeeper.body.BodyStore;
import io.cachekeeper.body.ByteRange;
import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.EntryService;
import io.cachekeeper.entry.KeyQuery;
import io.cachekeeper.entry.Tags;
import io.cachekeeper.http.TextRules;
import io.cachekeeper.problem.OpenApiProblems;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The entries API of the contract (docs/contract.md): parse and validate, call one {@link EntryService} method, map.
 * Reads need the {@code reader} role, everything else {@code writer}. A response that carries one
 * entry carries its version as the ETag; the writes on one entry honour {@code If-Match}.
 * <p>
 * The OpenAPI annotations name the statuses that are an operation's own; the problem+json body of the
 * error answers, the answers every operation shares (401, 403, 406, 500) and those that come with a
 * parameter (404 with the id, 412 with If-Match, 400 for a malformed id or If-Match) are added in one place,
 * {@code io.cachekeeper.problem.OpenApiProblems}. {@code OpenApiContractIT} holds the two to what the
 * tests see.
 */
@Tag(name = "entries", description = "HTTP cache entries: store, look up, update, soft-delete, restore")
@Path("/entries")
@RolesAllowed("writer")
@Produces(MediaType.APPLICATION_JSON)
public class EntryResource {

    // Texts the OpenAPI document repeats; ENTRY is the shared answer in META-INF/openapi.yaml.
    private static final String ENTRY = "Entry";
    private static final String ENTRY_ID = "the entry's id (a UUID)";
    private static final String IF_MATCH = "write only if the entry is at one of these versions (\"3\", or *)";
    private static final String VERSION_ETAG = "the entry's version, quoted: send it back in If-Match";
    private static final String BAD_BODY = "the body is malformed or invalid (field names the offending JSON path), or a malformed id/If-Match";
    private static final String TOO_LARGE = "the request body exceeds cachekeeper.max-body-size";
    private static final String NOT_JSON = "the request body is not application/json";
    private static final String BUSY = "the database is unavailable, or request bodies in flight exceed cachekeeper.request-body-budget (Retry-After)";

    private final EntryService entries;
    private final ContentMapper contents;
    private final BodyStore bodies;

    public EntryResource(EntryService entries, ContentMapper contents, BodyStore bodies) {
        this.entries = entries;
        this.contents = contents;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store an entry", description = "Stores a new entry. Without ttlSeconds it gets cachekeeper.default-ttl; 0 expires it at once; neverExpires: true gives it no expiry.")
    @APIResponse(responseCode = "201", description = "stored; the entry, its URL and its version", headers = {
            @Header(name = HttpHeaders.LOCATION, description = "/entries/{id}", schema = @Schema(implementation = String.class)),
            @Header(name = HttpHeaders.ETAG, description = VERSION_ETAG, schema = @Schema(implementation = String.class)) }, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntryView.class)))
    @APIResponse(responseCode = "400", description = BAD_BODY)
    @APIResponse(responseCode = "409", description = "an entry with this id already exists")
    @APIResponse(responseCode = "413", description = TOO_LARGE)
    @APIResponse(responseCode = "415", description = NOT_JSON)
    @APIResponse(responseCode = "503", description = BUSY)
    public Uni<RestResponse<EntryView>> create(@NotNull(message = "request body is required") @Valid EntryInput input) {
        if (input.response() != null && input.response().keepsBody()) {
            throw ProblemException.badRequest("response.keepBody", "a new entry has no body to keep: send body or bodyId");
        }
        return entries.create(contents.toContent(input), input.mode())
                .map(row -> withEtag(ResponseBuilder.created(URI.create("/entries/" + row.id())), row));
    }

    @RolesAllowed("reader")
    @GET
    @Operation(summary = "Look up the entries under a cache key", description = "The entries stored under the key, oldest first, one page at a time; only live ones unless "
            + "includeDeleted / includeExpired. A page also ends before " + (KeyQuery.PAGE_BODY_BYTES >> 20)
            + " MiB of bodies.")
    @APIResponse(responseCode = "200", description = "a page of entries (possibly empty)", headers = @Header(name = HttpHeaders.LINK, description = "<next page URL>; rel=\"next\" while more entries follow", schema = @Schema(implementation = String.class)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntryView[].class)))
    @APIResponse(responseCode = "400", description = "no key, or a parameter out of range or malformed")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestResponse<List<EntryView>>> byKey(
            @Parameter(description = "the cache key", required = true) @RestQuery("key") String key,
            @Parameter(description = "also list soft-deleted entries still in their grace period") @RestQuery("includeDeleted") @DefaultValue("false") boolean includeDeleted,
            @Parameter(description = "also list expired entries") @RestQuery("includeExpired") @DefaultValue("false") boolean includeExpired,
            @Parameter(description = "false leaves response bodies out") @RestQuery("includeBody") @DefaultValue("true") boolean includeBody,
            @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = ""
                    + Paging.MAX_LIMIT, defaultValue = "" + Paging.DEFAULT_LIMIT)) @RestQuery("limit") @DefaultValue(""
                            + Paging.DEFAULT_LIMIT) int limit,
            @Parameter(description = "opaque cursor from the previous page's Link header") @RestQuery(PageCursor.PARAM) String after) {
        KeyQuery query = new KeyQuery(required("key", key), includeDeleted, includeExpired, includeBody, Paging.limit(limit),
                PageCursor.decode(after));
        return entries.findByKey(query).map(page -> Paging.page(page.rows().stream().map(EntryView::of).toList(),
                !page.more() ? null
                        : UriBuilder.fromPath("/entries").queryParam("key", key)
                                .queryParam("includeDeleted", includeDeleted).queryParam("includeExpired", includeExpired)
                                .queryParam("includeBody", includeBody).queryParam("limit", limit)
                                .queryParam(PageCursor.PARAM, PageCursor.of(page.rows().get(page.rows().size() - 1)))));
    }

    @RolesAllowed("reader")
    @GET
    @Path("{id}")
    @Operation(summary = "Get one entry", description = "The entry in any state until it is purged.")
    @APIResponse(responseCode = "200", ref = ENTRY)
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestResponse<EntryView>> get(@Parameter(description = ENTRY_ID) @RestPath("id") UUID id) {
        return entries.get(id).map(EntryResource::ok);
    }

    @RolesAllowed("reader")
    @GET
    @Path("{id}/body")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Read an entry's response body as bytes", description = "The body as raw bytes, streamed, whether it was uploaded as bytes "
            + "(POST /bodies) or stored in JSON; one range with Range: bytes=first-last (or first-, or -suffix). The entry in any state until it is purged. "
            + "A body is never changed in place: a reader gets one version whole, even while a replace runs.")
    @APIResponse(responseCode = "200", description = "the body", headers = {
            @Header(name = HttpHeaders.ETAG, description = VERSION_ETAG, schema = @Schema(implementation = String.class)),
            @Header(name = HttpHeaders.CONTENT_LENGTH, description = "the body's size", schema = @Schema(implementation = Long.class)) }, content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "206", description = "the range asked for", headers = {
            @Header(name = "Content-Range", description = "bytes first-last/size", schema = @Schema(implementation = String.class)),
            @Header(name = HttpHeaders.ETAG, description = VERSION_ETAG, schema = @Schema(implementation = String.class)) }, content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "416", description = "the range starts past the body's end")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public RestMulti<Buffer> body(@Parameter(description = ENTRY_ID) @RestPath("id") UUID id,
            @Parameter(description = "bytes=first-last, first- or -suffix (one range)") @RestHeader("Range") String range,
            @jakarta.ws.rs.core.Context RoutingContext routing) {
        // Quarkus REST streams a Multi chunked, even beside a Content-Length: the length is known here, so the
        // bytes go as they are (a response with both is malformed, and undici refuses it).
        routing.addHeadersEndHandler(v -> {
            HttpServerResponse response = routing.response();
            if (response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                response.setChunked(false);
                response.headers().remove("Transfer-Encoding");
            }
        });
        return RestMulti.fromUniResponse(bodies.ofEntry(id).map(found -> {
            BodyStore.EntryBody body = found.orElseThrow(() -> ProblemException.notFound("no entry with id " + id));
            return new BodyRead(body, ByteRange.of(range, body.size()));
        }), read -> read.range().length() == 0 ? Multi.createFrom().empty() : read.bytes(bodies), BodyRead::headers,
                read -> read.range().partial() ? 206 : 200);
    }

    /** A body read: the entry's body and the range served of it. */
    private record BodyRead(BodyStore.EntryBody body, ByteRange range) {

        Multi<Buffer> bytes(BodyStore bodies) {
            if (body.id() != null) {
                return bodies.read(body, range.from(), range.to());
            }
            return Multi.createFrom().item(body.inline().getBuffer((int) range.from(), (int) range.to() + 1));
        }

        Map<String, List<String>> headers() {
            Map<String, List<String>> headers = new HashMap<>();
            headers.put(HttpHeaders.CONTENT_LENGTH, List.of(Long.toString(range.length())));
            headers.put(HttpHeaders.ETAG, List.of(Preconditions.etag(body.version())));
            headers.put("Accept-Ranges", List.of("bytes"));
            if (range.partial()) {
                headers.put("Content-Range", List.of(range.contentRange(body.size())));
            }
            return headers;
        }
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an entry", description = "Replaces request, response, metadata and cacheKey of a live or expired entry; ttlSeconds restarts its TTL, neverExpires ends it; "
            + "response.keepBody keeps the stored body (and the key), so a change of headers or metadata sends no body.")
    @APIResponse(responseCode = "200", ref = ENTRY)
    @APIResponse(responseCode = "400", description = BAD_BODY)
    @APIResponse(responseCode = "409", description = "the entry is soft-deleted: restore it first")
    @APIResponse(responseCode = "413", description = TOO_LARGE)
    @APIResponse(responseCode = "415", description = NOT_JSON)
    @APIResponse(responseCode = "503", description = BUSY)
    public Uni<RestResponse<EntryView>> replace(@Parameter(description = ENTRY_ID) @RestPath("id") UUID id,
            @Parameter(description = IF_MATCH) @RestHeader(Preconditions.IF_MATCH) String ifMatch,
            @NotNull(message = "request body is required") @Valid EntryInput input) {
        return entries.replace(id, Preconditions.ifMatch(ifMatch), contents.toContent(id, input), input.mode())
                .map(EntryResource::ok);
    }

    @POST
    @Path("{id}/refresh")
    @Operation(summary = "Restart an entry's TTL", description = "expiresAt = now() + ttlSeconds, for a live or expired entry.")
    @APIResponse(responseCode = "200", ref = ENTRY)
    @APIResponse(responseCode = "409", description = "the entry is soft-deleted: restore it first")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestResponse<EntryView>> refresh(@Parameter(description = ENTRY_ID) @RestPath("id") UUID id,
            @Parameter(description = IF_MATCH) @RestHeader(Preconditions.IF_MATCH) String ifMatch) {
        return entries.refresh(id, Preconditions.ifMatch(ifMatch)).map(EntryResource::ok);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Soft-delete an entry", description = "Marks the entry deleted; it stays restorable for the grace period. Deleting a deleted entry keeps its first deletedAt.")
    @APIResponse(responseCode = "200", ref = ENTRY)
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestResponse<EntryView>> delete(@Parameter(description = ENTRY_ID) @RestPath("id") UUID id,
            @Parameter(description = IF_MATCH) @RestHeader(Preconditions.IF_MATCH) String ifMatch) {
        return entries.softDelete(id, Preconditions.ifMatch(ifMatch)).map(EntryResource::ok);
    }

    /**
     * {@code ?key=K}: every live entry under K; {@code ?urlPrefix=P}: every live entry whose URL starts with P;
     * {@code ?tag=T&tag=U}: every live entry carrying T or U. The last two run in batches.
     */
    @DELETE
    @Operation(summary = "Soft-delete many entries", description = "Every live entry under a cache key (key), whose request URL starts with a prefix (urlPrefix, literal match), "
            + "or that carries any of the tags (tag, repeatable, exact and case-sensitive). Give exactly one kind. A prefix or tag "
            + "invalidation runs in batches of cachekeeper.invalidation.batch-size entries, each its own transaction; "
            + "a 503 part way says how many were deleted, and calling again finishes the work.")
    @APIResponse(responseCode = "200", description = "how many entries were soft-deleted", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeletedCount.class)))
    @APIResponse(responseCode = "400", description = "none or more than one of key, urlPrefix and tag, or a malformed value")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<DeletedCount> deleteMany(@Parameter(description = "a cache key") @RestQuery("key") String key,
            @Parameter(description = "a request URL prefix (literal, at most " + TextRules.MAX_TEXT
                    + " characters)") @RestQuery("urlPrefix") String urlPrefix,
            @Parameter(description = "a tag (repeatable: entries carrying any of them)") @RestQuery("tag") List<String> tags) {
        int kinds = (key != null ? 1 : 0) + (urlPrefix != null ? 1 : 0) + (tags.isEmpty() ? 0 : 1);
        if (kinds > 1) {
            throw ProblemException.badRequest(urlPrefix != null ? "urlPrefix" : "tag",
                    "give one of key, urlPrefix or tag, not several");
        }
        Uni<Long> deleted = urlPrefix != null ? entries.softDeleteByUrlPrefix(urlPrefix)
                : !tags.isEmpty() ? entries.softDeleteByTags(Tags.query(tags))
                        : entries.softDeleteByKey(required("key", key));
        return deleted.map(DeletedCount::new);
    }

    @POST
    @Path("{id}/restore")
    @Operation(summary = "Restore a soft-deleted entry", description = "Undoes a soft delete inside the grace period.")
    @APIResponse(responseCode = "200", ref = ENTRY)
    @APIResponse(responseCode = "409", description = "the entry is not deleted")
    @APIResponse(responseCode = "410", description = "the grace period is over: the entry waits for the purge")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestResponse<EntryView>> restore(@Parameter(description = ENTRY_ID) @RestPath("id") UUID id,
            @Parameter(description = IF_MATCH) @RestHeader(Preconditions.IF_MATCH) String ifMatch) {
        return entries.restore(id, Preconditions.ifMatch(ifMatch)).map(EntryResource::ok);
    }

    private static RestResponse<EntryView> ok(EntryRow row) {
        return withEtag(ResponseBuilder.ok(), row);
    }

    private static RestResponse<EntryView> withEtag(ResponseBuilder<EntryView> builder, EntryRow row) {
        return builder.entity(EntryView.of(row)).header(HttpHeaders.ETAG, Preconditions.etag(row.version())).build();
    }

    private static String required(String name, String value) {
        if (value == null) {
            throw ProblemException.badRequest(name, "query parameter is required");
        }
        return value;
    }
}
