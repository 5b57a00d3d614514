package io.cachekeeper.recyclebin;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.api.EntryView;
import io.cachekeeper.entry.api.PageCursor;
import io.cachekeeper.entry.api.Paging;
import io.cachekeeper.problem.OpenApiProblems;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * The operators' recycle bin: entries across keys, filtered and paged, and a bulk restore of what a wide
 * delete took by mistake (admin role).
 */
@Tag(name = "admin", description = "Operators: cleanup passes, store statistics and the recycle bin (admin role)")
@Path("/admin/entries")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class RecycleBinResource {

    private static final String STATES = "live, expired, deleted or purgeable (repeatable; none: every state)";

    private final RecycleBin bin;

    public RecycleBinResource(RecycleBin bin) {
        this.bin = bin;
    }

    @GET
    @Operation(summary = "Browse the recycle bin", description = "Entries across keys, filtered; newest deletion first when only deleted states are asked for, "
            + "else newest first (or as sort says); paged by an opaque keyset cursor; bodies only with includeBody.")
    @APIResponse(responseCode = "200", description = "a page of entries (possibly empty)", headers = @Header(name = HttpHeaders.LINK, description = "<next page URL>; rel=\"next\" while more entries follow", schema = @Schema(implementation = String.class)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntryView[].class)))
    @APIResponse(responseCode = "400", description = "a filter, sort, limit or cursor is malformed (field names it)")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestResponse<List<EntryView>>> browse(
            @Parameter(description = STATES) @RestQuery("state") List<String> state,
            @BeanParam BinFilterParams filters,
            @Parameter(description = "deletedAt or createdAt, newest first") @RestQuery("sort") String sort,
            @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = ""
                    + Paging.MAX_LIMIT, defaultValue = "" + Paging.DEFAULT_LIMIT)) @RestQuery("limit") @DefaultValue(""
                            + Paging.DEFAULT_LIMIT) int limit,
            @Parameter(description = "opaque cursor from the previous page's Link header") @RestQuery(PageCursor.PARAM) String after,
            @Parameter(description = "true includes response bodies") @RestQuery("includeBody") @DefaultValue("false") boolean includeBody) {
        Paging.limit(limit);
        BinFilter filter = filters.toFilter(state);
        BinOrder order = BinOrder.of(sort, filter);
        if (order == BinOrder.DELETED_AT && !filter.states().isEmpty() && !filter.deletedOnly()) {
            throw ProblemException.badRequest("sort", "deletedAt orders soft-deleted entries only: ask for state=deleted"
                    + " and/or state=purgeable, or sort=createdAt");
        }
        return bin.page(filter, order, PageCursor.decode(after), limit, includeBody).map(page -> {
            UriBuilder next = null;
            if (page.more()) {
                EntryRow last = page.rows().get(page.rows().size() - 1);
                next = UriBuilder.fromPath("/admin/entries");
                for (var s : filter.states()) {
                    next.queryParam("state", s.json());
                }
                filters.addTo(next);
                next.queryParam("sort", order.field).queryParam("limit", limit).queryParam("includeBody", includeBody)
                        .queryParam(PageCursor.PARAM, PageCursor.encode(
                                order == BinOrder.DELETED_AT ? last.deletedAt() : last.createdAt(), last.id()));
            }
            return Paging.page(page.rows().stream().map(EntryView::of).toList(), next);
        });
    }

    @POST
    @Path("restore")
    @Operation(summary = "Restore from the recycle bin in bulk", description = "Restores every entry matching the filters (at least one of key, urlPrefix, deletedAfter) that is "
            + "still in its grace period, in batches of at most cachekeeper.cleanup.batch-size rows per transaction; "
            + "skipped counts the matching entries whose grace period is over. dryRun counts without changing anything.")
    @APIResponse(responseCode = "200", description = "how many were restored and skipped", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RestoreResult.class)))
    @APIResponse(responseCode = "400", description = "no key, urlPrefix or deletedAfter, or a malformed filter (field names it)")
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<RestoreResult> restore(@BeanParam BinFilterParams filters,
            @Parameter(description = "count what would be restored, change nothing") @RestQuery("dryRun") @DefaultValue("false") boolean dryRun) {
        BinFilter filter = filters.toFilter(List.of());
        if (!filter.scoped()) {
            throw ProblemException.badRequest("key", "a bulk restore needs at least one of key, urlPrefix, deletedAfter"
                    + " (so that nobody restores the whole store by accident)");
        }
        return bin.restore(filter, dryRun);
    }
}
