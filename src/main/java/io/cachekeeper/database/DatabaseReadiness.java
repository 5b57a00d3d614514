package io.cachekeeper.database;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness includes the database: the catalogue's {@code readiness-probe} through {@link Database}, so a database that does
 * not
 * answer makes the service DOWN within {@code cachekeeper.database.timeout}, and the probe's connection is
 * closed rather than left stuck. It replaces Quarkus's datasource check
 * ({@code quarkus.datasource.health.enabled=false}), which waits up to 20 s on a blocked worker thread and
 * leaves its unanswered query on the pooled connection. Liveness has no database check: a hung database
 * is no reason to restart the pod.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    static final String NAME = "database";

    private final Database database;
    private final NamedSql probe;

    public DatabaseReadiness(Database database, SqlCatalogue catalogue) {
        this.database = database;
        this.probe = catalogue.get("readiness-probe");
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return database.execute(probe)
                .map(rows -> HealthCheckResponse.up(NAME))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("error", e.toString()).build());
    }
}
