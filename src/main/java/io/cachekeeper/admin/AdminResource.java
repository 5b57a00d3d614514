package io.cachekeeper.admin;

import io.cachekeeper.cleanup.CleanupRunner;
import io.cachekeeper.cleanup.CleanupScheduler;
import io.cachekeeper.cleanup.PassReport;
import io.cachekeeper.cleanup.Trigger;
import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import io.smallrye.common.annotation.NonBlocking;
import org.jboss.resteasy.reactive.RestQuery;

/** The operators' API: run a cleanup pass, see the cleanup status, count entries by state. */
@Path("/admin")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final CleanupRunner runner;
    private final CleanupScheduler scheduler;
    private final StatsQuery stats;
    private final CachekeeperConfig config;

    public AdminResource(CleanupRunner runner, CleanupScheduler scheduler, StatsQuery stats, CachekeeperConfig config) {
        this.runner = runner;
        this.scheduler = scheduler;
        this.stats = stats;
        this.config = config;
    }

    @POST
    @Path("cleanup")
    public Uni<PassReport> cleanup(@RestQuery("dryRun") @jakarta.ws.rs.DefaultValue("false") boolean dryRun) {
        return runner.tryStart(Trigger.MANUAL, dryRun)
                .orElseThrow(() -> ProblemException.conflict("a cleanup pass is already running in this instance"));
    }

    @GET
    @Path("cleanup")
    @NonBlocking
    public CleanupStatus status() {
        CachekeeperConfig.Cleanup c = config.cleanup();
        var settings = new CleanupStatus.Settings(c.enabled(), c.interval().toString(), c.gracePeriod().toString(),
                c.staleRetention().toString(), c.batchSize(), c.workers(), c.timeBudget().toString(),
                c.strategy().name().toLowerCase());
        return new CleanupStatus(runner.running(), runner.lastRun().orElse(null), settings,
                scheduler.nextRun().orElse(null));
    }

    @GET
    @Path("stats")
    public Uni<StoreStats> stats() {
        return stats.stats();
    }
}
