package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.RestartablePostgres;
import io.restassured.http.ContentType;

/**
 * Contract (docs/contract.md): all timestamps come from the database clock, never from the JVM. The database here runs with
 * its clock three hours behind (libfaketime preloaded into the postgres processes only, by the
 * {@code database-clock} failsafe execution), the service's JVM with the real one: an entry's
 * {@code createdAt}, {@code expiresAt} and {@code state} must follow the database.
 */
class DatabaseClockIT {

    static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    @Test
    void timestampsFollowTheDatabaseClockNotTheJvms() throws Exception {
        Assumptions.assumeTrue(Files.exists(LIBFAKETIME) && "-3h".equals(System.getenv("FAKETIME")),
                "needs libfaketime (Debian: faketime; .ci/run installs it) and the database-clock failsafe execution");
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "pg-clock"))) {
            db.start();
            Instant dbNow;
            try (var c = db.connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT now()")) {
                rs.next();
                dbNow = rs.getTimestamp(1).toInstant();
            }
            Duration behind = Duration.between(dbNow, Instant.now());
            assertTrue(behind.toMinutes() > 170, "the database clock is not shifted: " + behind);
            db.migrate();

            Map<String, String> env = db.appEnvironment();
            env.put("CACHEKEEPER_CLEANUP_ENABLED", "false");
            // The service's JVM keeps the real clock and no libfaketime at all: preloaded (even inactive, outside
            // FAKETIME_ONLY_CMDS) it breaks the clock_gettime of Netty's native epoll transport.
            env.put("LD_PRELOAD", "");
            try (AppProcess app = AppProcess.startWith("clock", env)) {
                Map<String, Object> body = io.cachekeeper.support.Entries.body("clock");
                body.put("ttlSeconds", 3600);
                var created = app.api().contentType(ContentType.JSON).body(body).post("/entries")
                        .then().statusCode(201).extract().jsonPath();
                Instant createdAt = Instant.parse(created.getString("createdAt"));
                Instant expiresAt = Instant.parse(created.getString("expiresAt"));
                Instant jvmNow = Instant.now();
                // Written by the database's clock: three hours behind the JVM's, within a minute of dbNow.
                assertTrue(Duration.between(createdAt, jvmNow).toMinutes() > 170, "createdAt " + createdAt
                        + " is not the database's time (JVM now " + jvmNow + ")");
                assertTrue(Duration.between(dbNow, createdAt).abs().toSeconds() < 60, createdAt + " vs " + dbNow);
                // One hour TTL from the database's now: by the JVM's clock it would already have expired.
                assertTrue(expiresAt.isBefore(jvmNow), "expiresAt " + expiresAt);
                app.api().get("/entries/" + created.getString("id")).then().statusCode(200)
                        .body("state", org.hamcrest.Matchers.equalTo("live"));
            }
        }
    }
}
