package io.cachekeeper.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;

/**
 * Two replicas start at the same moment on an empty database (a Kubernetes rollout): Flyway's lock
 * lets exactly one apply the migrations, both come up serving the same schema.
 */
class ConcurrentStartMigrationIT {

    @Test
    void migrationsRunOnceWhenReplicasStartTogether() throws Exception {
        String database = "rollout_" + System.nanoTime();
        Db.exec("CREATE DATABASE " + database);
        String url = "postgresql://localhost:" + PostgresResource.server().getPort() + "/" + database;
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", url, "CACHEKEEPER_CLEANUP_ENABLED", "false");

        List<CompletableFuture<AppProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String name = "rollout-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return AppProcess.start(name, env);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<AppProcess> replicas = starting.stream().map(CompletableFuture::join).toList();
        try {
            for (AppProcess replica : replicas) {
                replica.api().get("/admin/stats").then().statusCode(200);
            }
            try (var c = java.sql.DriverManager.getConnection("jdbc:" + url, "postgres", "postgres");
                    var s = c.createStatement();
                    var rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE success)"
                            + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
                rs.next();
                long applied = rs.getLong(1);
                assertEquals(applied, rs.getLong(2), "a failed migration is recorded");
                long migrations = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration")).count();
                assertEquals(migrations, applied, "each migration applied exactly once");
            }
        } finally {
            replicas.forEach(AppProcess::close);
        }
    }
}
