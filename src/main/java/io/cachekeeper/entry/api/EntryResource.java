package io.cachekeeper.entry.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.cachekeeper.entry.EntryService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The entries API of the SPEC: parse and validate, call one {@link EntryService} method, map.
 * Reads need the {@code reader} role, everything else {@code writer}.
 */
@Path("/entries")
@RolesAllowed("writer")
@Produces(MediaType.APPLICATION_JSON)
public class EntryResource {

    private final EntryService entries;
    private final EntryMapper mapper;
    private final InputChecks checks;

    public EntryResource(EntryService entries, EntryMapper mapper, InputChecks checks) {
        this.entries = entries;
        this.mapper = mapper;
        this.checks = checks;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<EntryView>> create(@NotNull(message = "request body is required") @Valid EntryInput input) {
        return entries.create(mapper.toDraft(checks.check(input)))
                .map(mapper::toView)
                .map(view -> RestResponse.ResponseBuilder.<EntryView>created(URI.create("/entries/" + view.id()))
                        .entity(view)
                        .build());
    }

    @RolesAllowed("reader")
    @GET
    public Uni<List<EntryView>> byKey(@RestQuery String key, @RestQuery String includeDeleted,
            @RestQuery String includeExpired) {
        return entries.findByKey(Params.required("key", key),
                        Params.bool("includeDeleted", includeDeleted),
                        Params.bool("includeExpired", includeExpired))
                .map(list -> list.stream().map(mapper::toView).toList());
    }

    @RolesAllowed("reader")
    @GET
    @Path("{id}")
    public Uni<EntryView> get(@RestPath String id) {
        return entries.get(Params.uuid("id", id)).map(mapper::toView);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<EntryView> replace(@RestPath String id,
            @NotNull(message = "request body is required") @Valid EntryInput input) {
        var uuid = Params.uuid("id", id);
        if (input.id() != null && !input.id().equals(uuid)) {
            throw io.cachekeeper.problem.ProblemException.badRequest("id", "does not match the id in the path");
        }
        return entries.replace(uuid, mapper.toDraft(checks.check(input))).map(mapper::toView);
    }

    @POST
    @Path("{id}/refresh")
    public Uni<EntryView> refresh(@RestPath String id) {
        return entries.refresh(Params.uuid("id", id)).map(mapper::toView);
    }

    @DELETE
    @Path("{id}")
    public Uni<EntryView> delete(@RestPath String id) {
        return entries.softDelete(Params.uuid("id", id)).map(mapper::toView);
    }

    @DELETE
    public Uni<Map<String, Integer>> deleteByKey(@RestQuery String key) {
        return entries.softDeleteByKey(Params.required("key", key)).map(n -> Map.of("deleted", n));
    }

    @POST
    @Path("{id}/restore")
    public Uni<EntryView> restore(@RestPath String id) {
        return entries.restore(Params.uuid("id", id)).map(mapper::toView);
    }
}
