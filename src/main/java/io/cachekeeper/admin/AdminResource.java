package io.cachekeeper.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import io.cachekeeper.cleanup.CleanupRunner;
import io.cachekeeper.cleanup.CleanupScheduler;
import io.cachekeeper.cleanup.PassReport;
import io.cachekeeper.cleanup.Trigger;
import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.problem.OpenApiProblems;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;

/** The operators' API: run a cleanup pass, see the cleanup status, count entries by state. */
@Tag(name = "admin", description = "Operators: cleanup passes, store statistics and the recycle bin (admin role)")
@Path("/admin")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final CleanupRunner runner;
    private final CleanupScheduler scheduler;
    private final StatsQuery stats;
    private final DeletionHistoryQuery deletions;
    private final CachekeeperConfig config;

    public AdminResource(CleanupRunner runner, CleanupScheduler scheduler, StatsQuery stats,
            DeletionHistoryQuery deletions, CachekeeperConfig config) {
        this.runner = runner;
        this.scheduler = scheduler;
        this.stats = stats;
        this.deletions = deletions;
        this.config = config;
    }

    @POST
    @Path("cleanup")
    @Operation(summary = "Run a cleanup pass now", description = "Runs one pass in this instance and answers when it ends; a database failure during the pass "
            + "is reported in the pass report (completed=false, error), not as an HTTP error.")
    @APIResponse(responseCode = "200", description = "the pass report", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PassReport.class)))
    @APIResponse(responseCode = "400", description = "dryRun is not true or false")
    @APIResponse(responseCode = "409", description = "a cleanup pass is already running in this instance")
    public Uni<PassReport> cleanup(
            @Parameter(description = "count what a pass would purge, delete nothing") @RestQuery("dryRun") @jakarta.ws.rs.DefaultValue("false") boolean dryRun) {
        return runner.tryStart(Trigger.MANUAL, dryRun)
                .orElseThrow(() -> ProblemException.conflict("a cleanup pass is already running in this instance"));
    }

    @GET
    @Path("cleanup")
    @NonBlocking
    @Operation(summary = "Cleanup status", description = "Whether a pass runs, the last pass's report, the settings and the next scheduled run.")
    @APIResponse(responseCode = "200", description = "the status", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CleanupStatus.class)))
    public CleanupStatus status() {
        CachekeeperConfig.Cleanup c = config.cleanup();
        var settings = new CleanupStatus.Settings(c.enabled(), c.interval().toString(), c.gracePeriod().toString(),
                c.staleRetention().toString(), c.batchSize(), c.workers(), c.timeBudget().toString(),
                c.strategy().name().toLowerCase(java.util.Locale.ROOT), c.shareUnderLoad());
        return new CleanupStatus(runner.running(), runner.lastRun().orElse(null), settings,
                scheduler.nextRun().orElse(null));
    }

    @GET
    @Path("stats")
    @Operation(summary = "Store statistics", description = "Entries and body bytes by state, and how full the size caps are.")
    @APIResponse(responseCode = "200", description = "the statistics", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StoreStats.class)))
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<StoreStats> stats() {
        return stats.stats();
    }

    @GET
    @Path("deletions")
    @Operation(summary = "Soft deletions per hour", description = "The entries soft-deleted in each of the last hours (UTC, the current hour "
            + "included, oldest first, every hour present) that are not purged yet, and graceStart: deletions before it can "
            + "no longer be restored. A spike is a wide invalidation; GET /admin/entries?deletedAfter=…&deletedBefore=… lists it.")
    @APIResponse(responseCode = "200", description = "the hours", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeletionHistory.class)))
    @APIResponse(responseCode = "400", description = "hours is not a whole number from 1 to " + DeletionHistoryQuery.MAX_HOURS)
    @APIResponse(responseCode = "503", description = OpenApiProblems.DATABASE_UNAVAILABLE)
    public Uni<DeletionHistory> deletions(
            @Parameter(description = "how many hours, the current one included", schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = ""
                    + DeletionHistoryQuery.MAX_HOURS, defaultValue = "48")) @RestQuery("hours") @jakarta.ws.rs.DefaultValue("48") int hours) {
        if (hours < 1 || hours > DeletionHistoryQuery.MAX_HOURS) {
            throw ProblemException.badRequest("hours", "must be between 1 and " + DeletionHistoryQuery.MAX_HOURS);
        }
        return deletions.lastHours(hours);
    }
}
