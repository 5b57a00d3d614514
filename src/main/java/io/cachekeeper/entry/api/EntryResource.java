package io.cachekeeper.entry.api;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.EntryService;
import io.cachekeeper.entry.KeyQuery;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Uni;
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
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestResponse.ResponseBuilder;

/**
 * The entries API of the SPEC: parse and validate, call one {@link EntryService} method, map.
 * Reads need the {@code reader} role, everything else {@code writer}. A response that carries one
 * entry carries its version as the ETag; the writes on one entry honour {@code If-Match}.
 */
@Path("/entries")
@RolesAllowed("writer")
@Produces(MediaType.APPLICATION_JSON)
public class EntryResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final EntryService entries;
    private final ContentMapper contents;

    public EntryResource(EntryService entries, ContentMapper contents) {
        this.entries = entries;
        this.contents = contents;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<EntryView>> create(@NotNull(message = "request body is required") @Valid EntryInput input) {
        return entries.create(contents.toContent(input))
                .map(row -> withEtag(ResponseBuilder.created(URI.create("/entries/" + row.id())), row));
    }

    @RolesAllowed("reader")
    @GET
    public Uni<RestResponse<List<EntryView>>> byKey(@RestQuery("key") String key,
            @RestQuery("includeDeleted") @DefaultValue("false") boolean includeDeleted, @RestQuery("includeExpired") @DefaultValue("false") boolean includeExpired,
            @RestQuery("includeBody") @DefaultValue("true") boolean includeBody,
            @RestQuery("limit") @DefaultValue("" + DEFAULT_LIMIT) int limit, @RestQuery(PageCursor.PARAM) String after) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        }
        KeyQuery query = new KeyQuery(required("key", key), includeDeleted, includeExpired, includeBody, limit,
                PageCursor.parse(after));
        return entries.findByKey(query).map(page -> {
            ResponseBuilder<List<EntryView>> ok = ResponseBuilder.ok(page.rows().stream().map(EntryView::of).toList());
            if (page.more()) {
                URI next = UriBuilder.fromPath("/entries").queryParam("key", key)
                        .queryParam("includeDeleted", includeDeleted).queryParam("includeExpired", includeExpired)
                        .queryParam("includeBody", includeBody).queryParam("limit", limit)
                        .queryParam(PageCursor.PARAM, PageCursor.of(page.rows().get(page.rows().size() - 1)))
                        .build();
                ok.header(HttpHeaders.LINK, "<" + next.toASCIIString() + ">; rel=\"next\"");
            }
            return ok.build();
        });
    }

    @RolesAllowed("reader")
    @GET
    @Path("{id}")
    public Uni<RestResponse<EntryView>> get(@RestPath("id") UUID id) {
        return entries.get(id).map(EntryResource::ok);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<EntryView>> replace(@RestPath("id") UUID id,
            @RestHeader(Preconditions.IF_MATCH) String ifMatch,
            @NotNull(message = "request body is required") @Valid EntryInput input) {
        return entries.replace(id, Preconditions.ifMatch(ifMatch), contents.toContent(id, input))
                .map(EntryResource::ok);
    }

    @POST
    @Path("{id}/refresh")
    public Uni<RestResponse<EntryView>> refresh(@RestPath("id") UUID id,
            @RestHeader(Preconditions.IF_MATCH) String ifMatch) {
        return entries.refresh(id, Preconditions.ifMatch(ifMatch)).map(EntryResource::ok);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<EntryView>> delete(@RestPath("id") UUID id,
            @RestHeader(Preconditions.IF_MATCH) String ifMatch) {
        return entries.softDelete(id, Preconditions.ifMatch(ifMatch)).map(EntryResource::ok);
    }

    /** {@code ?key=K}: every live entry under K; {@code ?urlPrefix=P}: every live entry whose URL starts with P. */
    @DELETE
    public Uni<Map<String, Integer>> deleteMany(@RestQuery("key") String key, @RestQuery("urlPrefix") String urlPrefix,
            UriInfo uri) {
        if (urlPrefix == null && uri.getQueryParameters().containsKey("urlPrefix")) {
            urlPrefix = ""; // present but empty: its own error, not "key is required"
        }
        if (key != null && urlPrefix != null) {
            throw ProblemException.badRequest("urlPrefix", "give either key or urlPrefix, not both");
        }
        Uni<Integer> deleted = urlPrefix != null
                ? entries.softDeleteByUrlPrefix(checkedPrefix(urlPrefix))
                : entries.softDeleteByKey(required("key", key));
        return deleted.map(n -> Map.of("deleted", n));
    }

    @POST
    @Path("{id}/restore")
    public Uni<RestResponse<EntryView>> restore(@RestPath("id") UUID id,
            @RestHeader(Preconditions.IF_MATCH) String ifMatch) {
        return entries.restore(id, Preconditions.ifMatch(ifMatch)).map(EntryResource::ok);
    }

    private static RestResponse<EntryView> ok(EntryRow row) {
        return withEtag(ResponseBuilder.ok(), row);
    }

    private static RestResponse<EntryView> withEtag(ResponseBuilder<EntryView> builder, EntryRow row) {
        return builder.entity(EntryView.of(row)).header(HttpHeaders.ETAG, Preconditions.etag(row.version())).build();
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw ProblemException.badRequest(name, "query parameter is required");
        }
        return value;
    }

    private static String checkedPrefix(String prefix) {
        if (prefix.isEmpty()) {
            throw ProblemException.badRequest("urlPrefix", "must not be empty");
        }
        if (prefix.length() > 8192) {
            throw ProblemException.badRequest("urlPrefix", "at most 8192 characters");
        }
        if (prefix.indexOf('\0') >= 0) {
            throw ProblemException.badRequest("urlPrefix", "must not contain NUL characters");
        }
        return prefix;
    }
}
