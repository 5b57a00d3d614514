package io.cachekeeper.reliability;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.RestartablePostgres;
import io.cachekeeper.support.TcpProxy;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A database that accepts but does not answer (issue: "bounded answers when the database hangs"), on
 * the packaged service, each fault made for real: server processes stopped with SIGSTOP, a TCP proxy
 * that stops forwarding, a proxy that fails over to a second server. With
 * {@code cachekeeper.database.timeout=2s}: no call, probe or pass waits longer than the bound (plus a
 * margin for the HTTP round trip and a loaded machine), calls answer 503 problem+json with Retry-After,
 * readiness goes DOWN and liveness stays UP, and everything recovers by itself with nothing lost.
 */
class HungDatabaseIT {

    private static final Duration BOUND = Duration.ofSeconds(2);
    /** What a call may take beyond the bound: the HTTP round trip and a busy 2-core machine. */
    private static final long MARGIN_MS = 2_000;

    @Test
    void stoppedSessionsCostOneBoundedCallAndAreDroppedFromThePool() throws Exception {
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "hung-sessions-pg"))) {
            db.start();
            db.migrate();
            try (AppProcess app = AppProcess.startWith("hung-sessions", environment(db.appEnvironment()))) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ids.add(create(app, "hung-" + i));
                }
                Load.run(app, 6, Duration.ofSeconds(1)); // several connections in the pool
                List<Long> stopped = db.suspendSessions("cachekeeper");
                assertFalse(stopped.isEmpty(), "the service's sessions are named cachekeeper in pg_stat_activity");
                try {
                    // The postmaster still accepts: the call on a stuck connection times out, that connection and
                    // the idle ones (as suspect) are closed, and the next calls get new sessions.
                    int unavailable = 0;
                    for (int i = 0; i < stopped.size() + 3; i++) {
                        Response r = timed(() -> app.api().get("/entries?key=hung-0"));
                        if (r.statusCode() == 503) {
                            unavailable++;
                            assertProblem503(r);
                        } else {
                            r.then().statusCode(200).body("size()", equalTo(1));
                        }
                    }
                    assertEquals(1, unavailable, "one call finds the stopped sessions (" + stopped.size()
                            + " of them), then no stuck connection is handed out again");
                    timed(() -> app.api().get("/entries?key=hung-1")).then().statusCode(200);
                    timed(() -> app.api().get("/q/health/ready")).then().statusCode(200);
                } finally {
                    db.resume(stopped);
                }
                for (String id : ids) {
                    app.api().get("/entries/" + id).then().statusCode(200);
                }
                assertEquals(1.0, metric(app, "cachekeeper_database_timeouts_total"), "the timeout is counted");
            }
        }
    }

    @Test
    void aStoppedServerGetsBoundedAnswersUnderLoadAndRecovers() throws Exception {
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "hung-server-pg"))) {
            db.start();
            db.migrate();
            Map<String, String> env = environment(db.appEnvironment());
            // A small heap and wait queue: calls that pile up would show as an OutOfMemoryError or as
            // slow answers; past the queue a call is refused at once.
            env.put("JAVA_TOOL_OPTIONS", "-Xmx96m");
            env.put("CACHEKEEPER_DATABASE_MAX_WAIT_QUEUE", "10");
            try (AppProcess app = AppProcess.startWith("hung-server", env)) {
                String id = create(app, "server-0");
                List<Long> stopped = db.suspend();
                try {
                    assertProblem503(timed(() -> app.api().get("/entries?key=server-0")));
                    assertProblem503(timed(() -> app.api().get("/entries/" + id)));
                    assertProblem503(timed(() -> app.api().contentType(ContentType.JSON).body(Entries.body("server-1"))
                            .post("/entries")));
                    assertProblem503(timed(() -> app.api().delete("/entries/" + id)));
                    assertProblem503(timed(() -> app.api().get("/admin/stats")));
                    timed(() -> app.api().get("/q/health/ready")).then().statusCode(503).body("status", equalTo("DOWN"));
                    app.api().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
                    JsonPath pass = timed(() -> app.api().post("/admin/cleanup")).then().statusCode(200)
                            .extract().jsonPath();
                    assertFalse(pass.getBoolean("completed"), pass.prettify());
                    assertTrue(pass.getString("error").contains("did not answer"), pass.prettify());

                    Load load = Load.run(app, 100, Duration.ofSeconds(15));
                    System.out.println("load on a stopped server: " + load);
                    assertEquals(0, load.other, "every call answers 503 while the server is stopped: " + load);
                    assertTrue(load.slowestMs <= BOUND.toMillis() + MARGIN_MS + 1_000, "slowest call: " + load);
                    assertTrue(load.fastRefusals > 0, "past the wait queue, calls are refused at once: " + load);
                    app.api().get("/q/health/live").then().statusCode(200);
                } finally {
                    db.resume(stopped);
                }
                Poll.until(Duration.ofSeconds(10), "calls succeed once the server continues",
                        () -> app.api().get("/entries/" + id).statusCode() == 200);
                app.api().get("/entries?key=server-0").then().statusCode(200).body("size()", equalTo(1));
                Poll.until(Duration.ofSeconds(10), "ready again", () -> app.api().get("/q/health/ready").statusCode() == 200);
                assertFalse(app.log().contains("OutOfMemoryError"), "no OutOfMemoryError:\n" + app.log());
                assertFalse(app.log().contains("Uncaught exception"), "no failure escaped to Vert.x:\n" + app.log());
            }
        }
    }

    @Test
    void aBlackholedNetworkGetsBoundedAnswersAndRecoversWhenItHeals() throws Exception {
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "blackhole-pg"));
                TcpProxy proxy = startedBehindProxy(db)) {
            try (AppProcess app = AppProcess.startWith("blackhole", environment(viaProxy(db, proxy)))) {
                String id = create(app, "blackhole-0");
                proxy.blackhole();
                try {
                    assertProblem503(timed(() -> app.api().get("/entries/" + id)));
                    assertProblem503(timed(() -> app.api().get("/entries?key=blackhole-0")));
                    timed(() -> app.api().get("/q/health/ready")).then().statusCode(503).body("status", equalTo("DOWN"));
                    app.api().get("/q/health/live").then().statusCode(200);
                    Load load = Load.run(app, 50, Duration.ofSeconds(6));
                    System.out.println("load on a blackholed network: " + load);
                    assertTrue(load.slowestMs <= BOUND.toMillis() + MARGIN_MS + 1_000, "slowest call: " + load);
                } finally {
                    proxy.restore();
                }
                Poll.until(Duration.ofSeconds(10), "calls succeed once the network heals",
                        () -> app.api().get("/entries/" + id).statusCode() == 200);
                Poll.until(Duration.ofSeconds(10), "ready again", () -> app.api().get("/q/health/ready").statusCode() == 200);
            }
        }
    }

    @Test
    void aFailoverToAnotherServerIsSurvivedWithinSeconds() throws Exception {
        try (RestartablePostgres primary = new RestartablePostgres(Path.of("target", "failover-a-pg"));
                RestartablePostgres standby = new RestartablePostgres(Path.of("target", "failover-b-pg"));
                TcpProxy proxy = startedBehindProxy(primary)) {
            standby.start();
            standby.migrate();
            String onStandby = "11111111-2222-3333-4444-555555555555";
            try (Connection c = standby.connect(); Statement s = c.createStatement()) {
                // Its route, as the service writes it: the key lookups name it (every row carries its key's: V13).
                s.executeUpdate("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status,"
                        + " response_body) VALUES ('" + onStandby + "', cache_route('failover'), 'failover', 'GET', 'u', 200,"
                        + " '\\x00')");
            }
            try (AppProcess app = AppProcess.startWith("failover", environment(viaProxy(primary, proxy)))) {
                // Several connections in the pool, all to the old primary.
                Load.run(app, 8, Duration.ofSeconds(2));
                long start = System.nanoTime();
                int before = proxy.accepted();
                proxy.switchTo(standby.port());
                // Both ways to the database: the pool (a read by id) and the key lookups' own connections.
                Poll.until(Duration.ofSeconds(15), "calls reach the new server", () -> {
                    Response byId = timed(() -> app.api().get("/entries/" + onStandby));
                    Response byKey = timed(() -> app.api().get("/entries?key=failover"));
                    return byId.statusCode() == 200 && byKey.statusCode() == 200
                            && byKey.jsonPath().getList("$").size() == 1;
                });
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println("failover: calls reach the new server after " + ms + " ms, "
                        + (proxy.accepted() - before) + " new connections");
                // The dangling connections are gone from the pool: a burst of calls all succeed.
                Load after = Load.run(app, 8, Duration.ofSeconds(2));
                assertEquals(0, after.unavailable + after.other, "after the failover every call succeeds: " + after);
                Poll.until(Duration.ofSeconds(10), "ready on the new server",
                        () -> app.api().get("/q/health/ready").statusCode() == 200);
            }
        }
    }

    @Test
    void aPassWithAStuckBatchEndsIncompleteAndTheNextPassFinishesTheWork() throws Exception {
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "stuck-pass-pg"))) {
            db.start();
            db.migrate();
            db.insertPurgeable("p-", 60000);
            Map<String, String> env = environment(db.appEnvironment());
            env.put("CACHEKEEPER_CLEANUP_ENABLED", "true");
            env.put("CACHEKEEPER_CLEANUP_INTERVAL", "1s");
            env.put("CACHEKEEPER_CLEANUP_BATCH_SIZE", "10");
            try (AppProcess app = AppProcess.startWith("stuck-pass", env)) {
                Poll.until(Duration.ofSeconds(30), "a scheduled pass is running",
                        () -> app.api().get("/admin/cleanup").then().extract().<Boolean> path("running"));
                List<Long> stopped = db.suspend();
                JsonPath failed;
                try {
                    long start = System.nanoTime();
                    Poll.until(Duration.ofMillis(BOUND.toMillis() + MARGIN_MS + 2_000), "the stuck pass ends", () -> {
                        JsonPath status = app.api().get("/admin/cleanup").then().statusCode(200).extract().jsonPath();
                        return !status.getBoolean("running") && status.get("lastRun") != null
                                && !status.getBoolean("lastRun.completed");
                    });
                    System.out.println("stuck pass ended " + (System.nanoTime() - start) / 1_000_000 + " ms after the stop");
                    failed = app.api().get("/admin/cleanup").then().extract().jsonPath();
                } finally {
                    db.resume(stopped);
                }
                assertTrue(failed.getString("lastRun.error").contains("did not answer"), failed.prettify());
                Poll.until(Duration.ofSeconds(120), "a later scheduled pass purges everything", () -> {
                    JsonPath status = app.api().get("/admin/cleanup").then().extract().jsonPath();
                    return status.getBoolean("lastRun.completed") && db.rows() == 0;
                });
            }
        }
    }

    private static Map<String, String> environment(Map<String, String> env) {
        env.put("CACHEKEEPER_DATABASE_TIMEOUT", BOUND.toMillis() + "ms");
        env.put("CACHEKEEPER_CLEANUP_ENABLED", "false");
        return env;
    }

    private static TcpProxy startedBehindProxy(RestartablePostgres db) throws Exception {
        db.start();
        db.migrate();
        return new TcpProxy(db.port());
    }

    private static Map<String, String> viaProxy(RestartablePostgres db, TcpProxy proxy) {
        Map<String, String> env = db.appEnvironment();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + proxy.port() + "/postgres");
        // Flyway's JDBC connection at start-up goes straight to the server.
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        return env;
    }

    private static String create(AppProcess app, String key) {
        return app.api().contentType(ContentType.JSON).body(Entries.body(key)).post("/entries")
                .then().statusCode(201).extract().path("id");
    }

    /** Runs a call and checks that it answered within the bound plus the margin. */
    private static Response timed(Supplier<Response> call) {
        long start = System.nanoTime();
        Response r = call.get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms <= BOUND.toMillis() + MARGIN_MS, "answered " + r.statusCode() + " after " + ms + " ms");
        return r;
    }

    private static void assertProblem503(Response r) {
        r.then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503))
                .header("Retry-After", notNullValue());
    }

    private static double metric(AppProcess app, String name) {
        for (String line : app.api().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    /** {@code clients} callers doing key lookups back to back for {@code time}: how the answers came. */
    private record Load(int ok, int unavailable, int other, int fastRefusals, long slowestMs) {

        static Load run(AppProcess app, int clients, Duration time) throws InterruptedException {
            ConcurrentLinkedQueue<long[]> answers = new ConcurrentLinkedQueue<>();
            long end = System.nanoTime() + time.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int i = 0; i < clients; i++) {
                String key = "load-" + i;
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = app.api().get("/entries?key=" + key).statusCode();
                        } catch (RuntimeException e) {
                            status = -1;
                        }
                        answers.add(new long[] { status, (System.nanoTime() - start) / 1_000_000 });
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(time.toSeconds() + 60, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                throw new AssertionError("load callers did not finish: a call hangs");
            }
            int ok = 0, unavailable = 0, other = 0, fast = 0;
            long slowest = 0;
            for (long[] a : answers) {
                slowest = Math.max(slowest, a[1]);
                if (a[0] == 200) {
                    ok++;
                } else if (a[0] == 503) {
                    unavailable++;
                    if (a[1] < 500) {
                        fast++;
                    }
                } else {
                    other++;
                }
            }
            return new Load(ok, unavailable, other, fast, slowest);
        }
    }
}
