package io.cachekeeper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * cachekeeper's purge and API benchmarks (issue: "Cleanup at the speed of one DELETE"). Every figure
 * is measured in this one run, on this machine, and ratios compare against a baseline of the same run:
 * <ol>
 * <li>purge throughput: one cleanup pass of the service at default settings vs. one single-statement
 * DELETE of the same eligible rows on a copy of the table (the limit);</li>
 * <li>gentleness: slowest and p99 batch, the service's RSS before and at peak, and a pass under -Xmx64m;</li>
 * <li>the API under cleanup: p50/p99 and throughput of a steady load with no pass vs. during a pass.</li>
 * <li>the API against its database: req/s of GET by key and POST vs. pgbench running the same SQL.</li>
 * </ol>
 * Knobs (environment): BENCH_ROWS (1000000), BENCH_LOAD_THREADS (4), BENCH_JDBC_URL to use your own PostgreSQL,
 * BENCH_SECTIONS (comma-separated subset of startup,purge,cleanup-load,stats,api,tags,bodies; default all).
 */
public final class Benchmarks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELIGIBLE = "(deleted_at <= now() - interval '1 hour')"
            + " OR (deleted_at IS NULL AND expires_at <= now())";
    private static final List<String> OUT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(System.getenv().getOrDefault("BENCH_ROWS", "1000000"));
        int threads = Integer.parseInt(System.getenv().getOrDefault("BENCH_LOAD_THREADS", "4"));
        try (BenchDatabase db = new BenchDatabase()) {
            say("cachekeeper benchmarks, %s", Instant.now());
            System.getenv().forEach((name, value) -> {
                if (name.startsWith("CACHEKEEPER_")) {
                    say("setting for the service: %s=%s", name, value);
                }
            });
            say("machine: %d cores, %s; JVM %s; PostgreSQL %s%s", Runtime.getRuntime().availableProcessors(),
                    memory(), System.getProperty("java.version"), db.version(),
                    System.getenv("BENCH_JDBC_URL") == null ? " (embedded, fsync on)" : " (BENCH_JDBC_URL)");
            if (section("startup")) {
                startupAndFootprint(db);
            }
            if (section("purge")) {
                purgeThroughput(db, rows);
                smallHeap(db, rows);
            }
            if (section("cleanup-load")) {
                apiUnderCleanup(db, rows, threads);
            }
            if (section("api")) {
                say("\n== 4. API vs. its database (wrk, 4 connections, 10 s; pgbench, 4 clients, the same SQL, 10 s;"
                        + " 100,000 live entries over 50,000 keys)");
                new ApiVsDatabase(db, Benchmarks::say).run(100_000,
                        Integer.parseInt(System.getenv().getOrDefault("BENCH_API_ROUNDS", "3")));
            }
            if (section("stats")) {
                statsTime(db, rows);
            }
            String citus = System.getenv("BENCH_CITUS_URL");
            if (citus != null && section("citus")) {
                say("\n== 7. Citus (%,d rows, 30%% deleted past grace, 30%% expired, 40%% live, 50,000 keys; BENCH_CITUS_URL)",
                        rows);
                try (BenchDatabase coordinator = new BenchDatabase(citus)) {
                    new CitusBench(coordinator, Benchmarks::say).run(rows);
                }
            }
            if (section("bodies")) {
                say("\n== 8. Bodies as bytes (POST /bodies, GET /entries/{id}/body) against psql, the same bytes");
                new StreamedBodies(db, Benchmarks::say).run();
            }
            if (section("console")) {
                say("\n== 9. The operators' console: each page's API calls on %,d entries (target <= 150 ms a page)", rows);
                new ConsolePages(db, Benchmarks::say).run(rows);
            }
            if (section("tags")) {
                say("\n== 6. Invalidation by tag (%,d live entries, a tenth tagged; %d closed-loop clients during it)", rows,
                        threads);
                new TagInvalidation(db, Benchmarks::say).run(rows, threads);
            }
        }
        Path out = Path.of("target", "bench-results.txt");
        Files.write(out, OUT);
        System.out.println("\n(written to " + out + ")");
    }

    /**
     * Start-up time to ready and RSS of the artefact {@link ServiceProcess} runs (three starts): idle, after
     * 2,000 GETs by key, and at the peak of one purge pass over 100,000 rows, against the memory the
     * Kubernetes manifests request (quarkus.kubernetes.resources.requests.memory, application.properties).
     */
    private static void startupAndFootprint(BenchDatabase db) throws Exception {
        String request = manifestMemoryRequest();
        say("\n== 0. Start-up and footprint (%s; the manifests request %s)", ServiceProcess.ARTEFACT, request);
        long requestMiB = Long.parseLong(request.replace("Mi", ""));
        readyFreshAndExisting(db);
        List<Long> peaks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            db.seed("cache_entry", 100_000);
            try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of())) {
                Thread.sleep(5000);
                long idleKb = service.rssKb();
                for (int get = 0; get < 2000; get++) {
                    int status = service.send("GET", "/entries?key=GET%20https://example.com/k" + (get * 7919 % 50_000), null)
                            .statusCode();
                    if (status != 200) {
                        throw new IllegalStateException("GET by key answered " + status);
                    }
                }
                long afterGetsKb = service.rssKb();
                service.resetPeak();
                JsonNode report = pass(service);
                long peakKb = Math.max(service.peakRssKb(), service.rssKb());
                peaks.add(peakKb / 1024);
                say("start %d: ready in %,d ms; RSS %,d MiB idle, %,d MiB after 2,000 GETs, %,d MiB at the peak of a pass"
                        + " purging %,d rows", i, service.readyMillis, idleKb / 1024, afterGetsKb / 1024, peakKb / 1024,
                        report.path("purged").asLong());
            }
        }
        long worst = peaks.stream().mapToLong(Long::longValue).max().orElseThrow();
        say("RATIO highest RSS under load / the manifests' memory request: %.2f (%,d MiB / %,d MiB)  (target <= 1)",
                (double) worst / requestMiB, worst, requestMiB);
    }

    /**
     * Launch to ready, median and range of {@code BENCH_STARTS} (5) starts each: on a fresh database, where the service
     * runs every migration, and again on the same database once it exists (Flyway then validates only). Each start
     * gets a database of its own, dropped after.
     */
    private static void readyFreshAndExisting(BenchDatabase db) throws Exception {
        int starts = Integer.parseInt(System.getenv().getOrDefault("BENCH_STARTS", "5"));
        List<Long> fresh = new ArrayList<>();
        List<Long> existing = new ArrayList<>();
        for (int i = 1; i <= starts; i++) {
            String name = "bench_start_" + i;
            db.exec("DROP DATABASE IF EXISTS " + name);
            db.exec("CREATE DATABASE " + name);
            String url = db.reactiveUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
            Map<String, String> env = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", url);
            try (ServiceProcess service = new ServiceProcess(db, List.of(), env)) {
                fresh.add(service.readyMillis);
            }
            try (ServiceProcess service = new ServiceProcess(db, List.of(), env)) {
                existing.add(service.readyMillis);
            }
            db.exec("DROP DATABASE " + name);
        }
        say("ready, %d starts: on a fresh database (every migration) median %,d ms (%,d–%,d); on an existing one median %,d ms"
                + " (%,d–%,d)", starts, median(fresh), min(fresh), max(fresh), median(existing), min(existing), max(existing));
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    /** The memory request the Kubernetes manifests are generated with, as written in application.properties. */
    private static String manifestMemoryRequest() throws IOException {
        String key = "quarkus.kubernetes.resources.requests.memory=";
        return Files.readAllLines(Path.of("src/main/resources/application.properties")).stream()
                .filter(line -> line.startsWith(key)).map(line -> line.substring(key.length()).trim()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + key + " in application.properties"));
    }

    /** Dense passes over 300,000 rows (~1,000 batches each) before the measured one. */
    private static final int WARM_UP_ROUNDS = 16;

    /**
     * Makes {@code service} one that has been up for a while: JIT-compiled, connections open. Passes of
     * each path, enough of them for the compiler to settle: after one pass over 50,000 rows (~200 batches)
     * the JIT spent 1.55 s compiling during the measured pass (JFR's CompilerStatistics), all of the JVM's
     * CPU in it, on the two cores PostgreSQL needs. C2 compiles a method after ~10,000 calls, and the
     * pass's methods are called once a batch. Leaves the table empty of eligible rows: seed after it.
     */
    private static void warmUp(BenchDatabase db, ServiceProcess service) throws Exception {
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            db.seed("cache_entry", 300_000);
            pass(service);
        }
        db.seedSparse("cache_entry", 300_000);
        pass(service);
    }

    /** 1 + 2: the limit (one DELETE on a copy) vs. one pass of the service; batch times; RSS. */
    private static void purgeThroughput(BenchDatabase db, int rows) throws Exception {
        say("\n== 1. Purge throughput (%,d rows, 30%% deleted past grace, 30%% expired, 40%% live, 50,000 keys)", rows);
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of())) {
            warmUp(db, service);

            long eligible = db.seed("cache_entry", rows);
            long idleKb = service.rssKb();
            service.resetPeak();
            JsonNode report = passVersusDelete(db, service, eligible, "dense").report;
            long peakKb = service.peakRssKb();
            say("\n== 2. Gentleness");
            double p99 = Math.max(
                    nanToZero(service.metric("cachekeeper_cleanup_batch_seconds{path=\"heap\",quantile=\"0.99\"}")),
                    nanToZero(service.metric("cachekeeper_cleanup_batch_seconds{path=\"index\",quantile=\"0.99\"}"))) * 1000;
            say("batch transaction: slowest %d ms, p99 %.1f ms  (target p99 <= 20 ms)",
                    report.get("slowestBatchMs").asLong(), p99);
            say("service RSS: %,d MiB idle before the pass, %,d MiB at peak during it: growth %,d MiB  (target < 64 MiB)",
                    idleKb / 1024, peakKb / 1024, (peakKb - idleKb) / 1024);
            if (db.queryLong("SELECT count(*) FROM cache_entry WHERE " + ELIGIBLE) != 0) {
                say("WARNING: eligible rows left after the pass");
            }
            say("\n== 1b. Purge of a sparse table (%,d rows, 1%% deleted past grace, 1%% expired)", rows);
            long sparse = db.seedSparse("cache_entry", rows);
            Comparison c = passVersusDelete(db, service, sparse, "sparse");
            say("RATIO pass / single DELETE time (sparse): %.2f  (target <= 1.5)", c.passSeconds / c.deleteSeconds);
        }
    }

    record Comparison(JsonNode report, double deleteSeconds, double passSeconds) {
    }

    /**
     * One DELETE of the eligible rows on a copy of the table (the limit) and the peers' batched DELETE on
     * another copy (what users would otherwise run) against one pass of the service on the table itself,
     * each right after a CHECKPOINT: time, throughput, and WAL written.
     */
    private static Comparison passVersusDelete(BenchDatabase db, ServiceProcess service, long eligible, String name)
            throws Exception {
        Measured single = onCopy(db, "DELETE FROM bench_copy WHERE " + ELIGIBLE);
        double singleRate = eligible / single.seconds;
        say("single-statement DELETE on the copy (%s): %,d rows in %.3f s = %,.0f rows/s, WAL %,d MB", name, eligible,
                single.seconds, singleRate, single.wal / 1_000_000);
        // What job queues and cache stores run (River, Oban, pg-boss, Solid Cache): per reason, DELETE … WHERE id IN
        // (SELECT id … LIMIT 200) until a short batch, each batch committed; here inside PostgreSQL, so without
        // a single round trip: the best that pattern can do.
        Measured peers = onCopy(db, "DO $$ DECLARE n int; BEGIN"
                + peerLoop("deleted_at <= now() - interval '1 hour'")
                + peerLoop("deleted_at IS NULL AND expires_at <= now()") + " END $$");
        say("peers' batched DELETE (id IN (SELECT id … LIMIT 200), committed per batch, inside PostgreSQL; %s):"
                + " %.3f s = %,.0f rows/s, WAL %,d MB", name, peers.seconds, eligible / peers.seconds, peers.wal / 1_000_000);

        long postmaster = db.postmasterPid();
        String lsn1 = db.queryString("SELECT pg_current_wal_lsn()::text");
        long jvmCpu = CpuTime.process(service.pid());
        long pgCpu = CpuTime.postgres(postmaster);
        JsonNode report = pass(service);
        jvmCpu = CpuTime.process(service.pid()) - jvmCpu;
        pgCpu = CpuTime.postgres(postmaster) - pgCpu;
        String lsn2 = db.queryString("SELECT pg_current_wal_lsn()::text");
        long passWal = db.queryLong("SELECT pg_wal_lsn_diff('" + lsn2 + "', '" + lsn1 + "')::bigint");
        say("WAL of the pass by record type (pg_walinspect): %s", db.walByRecordType(lsn1, lsn2));
        double passSec = report.get("durationMs").asLong() / 1000.0;
        double passRate = report.get("purged").asLong() / passSec;
        JsonNode settings = JSON.readTree(service.send("GET", "/admin/cleanup", null).body()).get("configuration");
        say("cleanup pass (%s; batch-size %d, %d worker(s), strategy %s): %,d rows in %.3f s = %,.0f rows/s, %d batches,"
                + " completed=%s, WAL %,d MB", name, settings.get("batchSize").asInt(), settings.get("workers").asInt(),
                settings.get("strategy").asText(), report.get("purged").asLong(), passSec, passRate,
                report.get("batches").asInt(), report.get("completed").asBoolean(), passWal / 1_000_000);
        // Where a pass's time goes: CPU of the service and of all of PostgreSQL (backends, WAL writer,
        // checkpointer) over the pass, per batch, against PostgreSQL's CPU for the single DELETE.
        int batches = report.get("batches").asInt();
        say("CPU during the pass (%s): service JVM %,d ms (%,.0f µs a batch), PostgreSQL %,d ms (%,.0f µs a batch);"
                + " PostgreSQL during the single DELETE %,d ms", name, jvmCpu / 1000, (double) jvmCpu / batches,
                pgCpu / 1000, (double) pgCpu / batches, single.pgCpuMicros / 1000);
        say("RATIO pass / single DELETE throughput (%s): %.2f  (target >= 1.0, milestone 0.8)", name, passRate / singleRate);
        say("RATIO pass / single DELETE WAL (%s): %.3f  (target <= 1.05)", name, (double) passWal / single.wal);
        say("RATIO pass / peers' batched DELETE throughput (%s): %.2f  (target >= 5); peers / single DELETE: %.2f, WAL %.2f",
                name, passRate / (eligible / peers.seconds), single.seconds / peers.seconds, (double) peers.wal / single.wal);
        return new Comparison(report, single.seconds, passSec);
    }

    private static String peerLoop(String eligible) {
        return " LOOP DELETE FROM bench_copy WHERE id IN (SELECT id FROM bench_copy WHERE " + eligible + " LIMIT 200);"
                + " GET DIAGNOSTICS n = ROW_COUNT; COMMIT; EXIT WHEN n < 200; END LOOP;";
    }

    record Measured(double seconds, long wal, long pgCpuMicros) {
    }

    /**
     * Runs {@code sql} on a fresh copy of the table (indexes included, vacuumed and analyzed), right after
     * a CHECKPOINT: its time and the WAL it wrote ({@code pg_current_wal_lsn()} before and after), which
     * unlike time does not vary run to run.
     */
    private static Measured onCopy(BenchDatabase db, String sql) throws Exception {
        db.exec("DROP TABLE IF EXISTS bench_copy");
        db.exec("CREATE TABLE bench_copy (LIKE cache_entry INCLUDING ALL)");
        db.exec("INSERT INTO bench_copy SELECT * FROM cache_entry");
        db.exec("VACUUM ANALYZE bench_copy");
        db.exec("CHECKPOINT");
        String lsn0 = db.queryString("SELECT pg_current_wal_lsn()::text");
        long postmaster = db.postmasterPid();
        long cpu;
        double seconds;
        // On a connection held until PostgreSQL's CPU is read: a backend's own CPU is counted while it lives.
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            cpu = CpuTime.postgres(postmaster);
            long t0 = System.nanoTime();
            s.execute(sql);
            seconds = (System.nanoTime() - t0) / 1e9;
            cpu = CpuTime.postgres(postmaster) - cpu;
        }
        long wal = db.queryLong("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + lsn0 + "')::bigint");
        db.exec("DROP TABLE bench_copy");
        db.exec("CHECKPOINT");
        return new Measured(seconds, wal, cpu);
    }

    private static void smallHeap(BenchDatabase db, int rows) throws Exception {
        long eligible = db.seed("cache_entry", rows);
        try (ServiceProcess service = new ServiceProcess(db, List.of("-Xmx64m"), Map.of())) {
            long idleKb = service.rssKb();
            service.resetPeak();
            JsonNode report = pass(service);
            say("with -Xmx64m: purged %,d of %,d eligible rows in %.3f s, completed=%s; RSS %,d -> peak %,d MiB",
                    report.get("purged").asLong(), eligible, report.get("durationMs").asLong() / 1000.0,
                    report.get("completed").asBoolean(), idleKb / 1024, service.peakRssKb() / 1024);
        }
    }

    /** 5: GET /admin/stats on the full table (an exact scan), three times. */
    private static void statsTime(BenchDatabase db, int rows) throws Exception {
        say("\n== 5. GET /admin/stats on %,d rows (an exact scan; target < 1 s)", rows);
        db.seed("cache_entry", rows);
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of())) {
            for (int i = 1; i <= 3; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> response = service.send("GET", "/admin/stats", null);
                say("stats call %d: %d in %,d ms: %s", i, response.statusCode(), (System.nanoTime() - t0) / 1_000_000,
                        response.body());
            }
        }
    }

    /** 3: steady load with no pass vs. during a pass. */
    private static void apiUnderCleanup(BenchDatabase db, int rows, int threads) throws Exception {
        say("\n== 3. API under cleanup (%d closed-loop clients: 80%% GET /entries?key=, 20%% POST /entries)", threads);
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of())) {
            warmUp(db, service); // the pass's code compiled, as in a service that has run passes before
            db.seed("cache_entry", rows);
            LoadGenerator load = new LoadGenerator(service, threads);
            load.run(Duration.ofSeconds(20), () -> true); // warm-up: JIT, connection pools
            LoadGenerator.Result idle = load.run(Duration.ofSeconds(10), () -> true);
            say("no pass running: %s", idle);
            CompletableFuture<JsonNode> pass = CompletableFuture.supplyAsync(() -> {
                try {
                    return pass(service);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            LoadGenerator.Result during = load.run(Duration.ofSeconds(60), () -> !pass.isDone());
            JsonNode report = pass.join();
            say("during a pass:   %s", during);
            say("  (the pass: %,d rows in %.3f s, slowest batch %d ms, rested %.3f s giving way to the API)",
                    report.get("purged").asLong(), report.get("durationMs").asLong() / 1000.0,
                    report.get("slowestBatchMs").asLong(), report.get("restedMs").asLong() / 1000.0);
            LoadGenerator.Result after = load.run(Duration.ofSeconds(10), () -> true);
            say("no pass, after:  %s", after);
            say("RATIO p99 during / idle: %.2f before, %.2f after  (target <= 1.5); throughput during / idle: %.2f; failures: %d",
                    during.p99Ms() / idle.p99Ms(), during.p99Ms() / after.p99Ms(), during.throughput() / idle.throughput(),
                    idle.failures() + during.failures() + after.failures());
        }
    }

    private static JsonNode pass(ServiceProcess service) throws IOException, InterruptedException {
        HttpResponse<String> response = service.send("POST", "/admin/cleanup", null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("cleanup answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static double nanToZero(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    private static boolean section(String name) {
        String only = System.getenv("BENCH_SECTIONS");
        return only == null || only.isBlank() || java.util.Arrays.asList(only.split(",")).contains(name);
    }

    private static String memory() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format("%.0f GiB RAM", bytes / (1024.0 * 1024 * 1024));
    }

    private static void say(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        OUT.add(line);
    }
}
