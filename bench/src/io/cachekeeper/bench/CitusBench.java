package io.cachekeeper.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Citus section (BENCH_CITUS_URL: the JDBC URL of a coordinator whose workers are added; docs/scale.md):
 * one pass of the service on a distributed store against one coordinator DELETE of the same rows on a
 * distributed copy, time and WAL summed over the workers; then key and by-id lookups through the coordinator
 * against the same statements on a plain table of the coordinator, in the same run.
 */
final class CitusBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Passes over 150,000 rows (~560 ranges each) before the measured ones. */
    private static final int WARM_UP_ROUNDS = 24;
    /** Measured rounds, each a DELETE and a pass over the same rows: the ratios are their median, with the range. */
    private static final int MEASURED_ROUNDS = 3;
    private final BenchDatabase db;
    private final BiConsumer<String, Object[]> out;

    CitusBench(BenchDatabase db, BiConsumer<String, Object[]> out) {
        this.db = db;
        this.out = out;
    }

    private void say(String format, Object... args) {
        out.accept(format, args);
    }

    void run(int rows) throws Exception {
        // The first start distributes the tables (citus/CitusSchema).
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of("CACHEKEEPER_CITUS_ENABLED", "true"))) {
            List<String> workers = workers();
            say("cluster: coordinator %s, workers %s, %d shards of cache_entry", db.jdbcUrl, workers,
                    db.queryLong("SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'cache_entry'::regclass"));
            Instant clock = Instant
                    .parse(db.queryString("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"));
            // The pass's code compiled first, as in a service that has run passes before (Benchmarks.warmUp): with 6
            // rounds the JIT still took 0.3-0.6 s of CPU during the measured pass (per-thread CPU of the service: its C2
            // compiler thread), as much as the pass's own work in the service, on the two cores the cluster needs.
            for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                seed("cache_entry", 150_000, clock);
                service.send("POST", "/admin/cleanup", null);
            }
            List<String> nodes = new ArrayList<>(workers);
            nodes.add(0, db.jdbcUrl);
            List<Long> postmasters = postmasters(nodes);
            List<Double> speed = new ArrayList<>();
            List<Double> wal = new ArrayList<>();
            autovacuum(false);
            for (int round = 1; round <= MEASURED_ROUNDS; round++) {
                say("round %d of %d:", round, MEASURED_ROUNDS);
                double[] r = measure(service, rows, clock, workers, postmasters);
                speed.add(r[0]);
                wal.add(r[1]);
            }
            autovacuum(true);
            speed.sort(null);
            wal.sort(null);
            say("RATIO Citus pass / coordinator DELETE throughput: %.2f (median of %d rounds; %.2f-%.2f)  (target >= 0.8)",
                    speed.get(speed.size() / 2), speed.size(), speed.get(0), speed.get(speed.size() - 1));
            say("RATIO Citus pass / coordinator DELETE WAL: %.3f (median; %.3f-%.3f)  (target <= 1.1)", wal.get(wal.size() / 2),
                    wal.get(0), wal.get(wal.size() - 1));
        }
        lookups();
    }

    /**
     * One round: {@code rows} seeded, the coordinator's DELETE of the eligible ones on a distributed copy, then a pass
     * of the service over the same rows; their throughput and WAL ratios.
     */
    private double[] measure(ServiceProcess service, int rows, Instant clock, List<String> workers, List<Long> postmasters)
            throws Exception {
        long eligible = seed("cache_entry", rows, clock);
        db.exec("DROP TABLE IF EXISTS bench_copy");
        db.exec("CREATE TABLE bench_copy (LIKE cache_entry INCLUDING ALL)");
        db.exec("SELECT create_distributed_table('bench_copy', 'route', colocate_with => 'cache_entry')");
        db.exec("INSERT INTO bench_copy SELECT * FROM cache_entry");
        db.exec("VACUUM ANALYZE bench_copy");
        // Both tables as the seed left them (vacuumed), and neither vacuumed while either delete is measured: in one
        // run, the autovacuum of the copy's 600,000 dead rows ran during the pass (its workers' CPU 1.5x that of the
        // rounds around it).
        db.exec("ALTER TABLE bench_copy SET (autovacuum_enabled = false)");

        String eligibleAt = "(deleted_at <= '" + clock + "'::timestamptz - interval '1 hour'"
                + " OR (deleted_at IS NULL AND expires_at <= '" + clock + "'::timestamptz))";
        checkpoint(workers);
        long wal0 = wal(workers);
        long[] cpu0 = cpu(postmasters, service.pid());
        long t0 = System.nanoTime();
        db.exec("DELETE FROM bench_copy WHERE " + eligibleAt);
        double deleteSeconds = (System.nanoTime() - t0) / 1e9;
        long deleteWal = wal(workers) - wal0;
        long[] deleteCpu = since(cpu0, cpu(postmasters, service.pid()));
        say("  one coordinator DELETE on the distributed copy: %,d rows in %.3f s = %,.0f rows/s, WAL %,d MB over the workers,"
                + " CPU %s", eligible, deleteSeconds, eligible / deleteSeconds, deleteWal / 1_000_000, cpuText(deleteCpu));

        checkpoint(workers);
        wal0 = wal(workers);
        cpu0 = cpu(postmasters, service.pid());
        JsonNode report = JSON.readTree(service.send("POST", "/admin/cleanup", null).body());
        long passWal = wal(workers) - wal0;
        long[] passCpu = since(cpu0, cpu(postmasters, service.pid()));
        double passSeconds = report.get("durationMs").asLong() / 1000.0;
        say("  cleanup pass (shard by shard): %,d rows in %.3f s = %,.0f rows/s, %d batches, slowest %d ms, completed=%s,"
                + " WAL %,d MB over the workers (its id map's rows included, if any), CPU %s", report.get("purged").asLong(),
                passSeconds, report.get("purged").asLong() / passSeconds, report.get("batches").asInt(),
                report.get("slowestBatchMs").asLong(), report.get("completed").asBoolean(), passWal / 1_000_000,
                cpuText(passCpu));
        long left = db.queryLong("SELECT count(*) FROM cache_entry WHERE " + eligibleAt);
        if (left != 0) {
            say("WARNING: %,d eligible rows left after the pass", left);
        }
        double speed = (report.get("purged").asLong() / passSeconds) / (eligible / deleteSeconds);
        double walRatio = (double) passWal / deleteWal;
        say("  pass / DELETE: throughput %.2f, WAL %.3f", speed, walRatio);
        return new double[] { speed, walRatio };
    }

    /** Key lookups and by-id reads, 4 threads for 10 s each, on the distributed table and on a plain copy. */
    private void lookups() throws Exception {
        db.exec("DROP TABLE IF EXISTS bench_plain");
        db.exec("CREATE TABLE bench_plain (LIKE cache_entry INCLUDING ALL)");
        // The plain table's primary key is the id alone, as on PostgreSQL (the distributed one's is (route, id)).
        db.exec("ALTER TABLE bench_plain DROP CONSTRAINT bench_plain_pkey, ADD PRIMARY KEY (id)");
        db.exec("INSERT INTO bench_plain SELECT * FROM cache_entry");
        db.exec("ANALYZE bench_plain");
        List<String[]> sample = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id::text, cache_key FROM cache_entry LIMIT 10000")) {
            while (rs.next()) {
                sample.add(new String[] { rs.getString(1), rs.getString(2) });
            }
        }
        // On Citus the key's route is named too (sql/entries.sql), which Citus prunes the shards by.
        String byKey = "SELECT id, response_status FROM %s WHERE cache_key = ?%s ORDER BY created_at, id LIMIT 10";
        List<String> nodes = new ArrayList<>(workers());
        nodes.add(0, db.jdbcUrl);
        List<Long> postmasters = postmasters(nodes);
        long[] cpu0 = cpu(postmasters, ProcessHandle.current().pid());
        double citusKey = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            one(c, byKey.formatted("cache_entry", " AND route = cache_route(?)"), e[1], e[1]);
        });
        long[] keyCpu = since(cpu0, cpu(postmasters, ProcessHandle.current().pid()));
        double plainKey = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            one(c, byKey.formatted("bench_plain", ""), e[1]);
        });
        // By id: on Citus the id map (empty for the service's ids), then the row by id and the route the id names
        // (citus/IdMapPlacement); on the plain table, by id.
        cpu0 = cpu(postmasters, ProcessHandle.current().pid());
        double citusId = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            String key = one(c, "SELECT cache_key FROM cache_entry_id WHERE id = ?::uuid", e[0]);
            String route = key == null ? "cache_id_route(?::uuid)" : "cache_route(?)";
            one(c, "SELECT id::text FROM cache_entry WHERE id = ?::uuid AND route = " + route, e[0], key == null ? e[0] : key);
        });
        long[] idCpu = since(cpu0, cpu(postmasters, ProcessHandle.current().pid()));
        double plainId = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            one(c, "SELECT id::text FROM bench_plain WHERE id = ?::uuid", e[0]);
        });
        say("key lookups/s through the coordinator: %,.0f distributed, %,.0f plain table: RATIO %.2f", citusKey, plainKey,
                citusKey / plainKey);
        say("by-id reads/s through the coordinator: %,.0f distributed (id map + row), %,.0f plain table: RATIO %.2f", citusId,
                plainId, citusId / plainId);
        say("CPU per distributed key lookup: %s", perCall(keyCpu, citusKey * 10));
        say("CPU per distributed by-id read: %s", perCall(idCpu, citusId * 10));
        db.exec("DROP TABLE bench_plain");
    }

    private interface Call {
        void run(Connection c) throws SQLException;
    }

    private double rate(Call call) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try (Connection c = db.connect()) {
                    while (System.nanoTime() < end) {
                        call.run(c);
                        done.incrementAndGet();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return done.get() / 10.0;
    }

    private static String one(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Autovacuum off for the store's table during the measured rounds (see {@link #measure}), and on again after. */
    private void autovacuum(boolean on) throws SQLException {
        db.exec("ALTER TABLE cache_entry SET (autovacuum_enabled = " + on + ")");
    }

    /**
     * 30% soft-deleted past grace, 30% expired, 40% live, over 50,000 keys, ~600-byte bodies; times as literals. Their
     * ids as the service makes them, naming their key's route (entry/Route), so none has an id map row.
     */
    private long seed(String table, int rows, Instant clock) throws SQLException {
        db.exec("TRUNCATE " + table + ", cache_entry_id");
        String at = "'" + clock + "'::timestamptz";
        db.exec("INSERT INTO " + table
                + " (id, route, cache_key, request_method, request_url, request_headers, response_status,"
                + " response_headers, response_body, metadata, ttl_seconds, created_at, updated_at, expires_at, deleted_at)"
                + " SELECT (lpad(to_hex(cache_route(k)), 8, '0') || substr(md5(random()::text), 9))::uuid, cache_route(k), k,"
                + " 'GET', 'https://example.com/' || i,"
                + " '{}', 200, '{}', decode(repeat(md5(i::text), 38), 'hex'), '{}',"
                + " CASE WHEN i % 10 BETWEEN 3 AND 5 THEN 3600 END, " + at + " - interval '3 days', " + at + ","
                + " CASE WHEN i % 10 BETWEEN 3 AND 5 THEN " + at + " - interval '1 day' END,"
                + " CASE WHEN i % 10 < 3 THEN " + at + " - interval '2 days' END"
                + " FROM (SELECT i, 'GET https://example.com/k' || (i % 50000) AS k FROM generate_series(1, " + rows
                + ") AS i) s");
        db.exec("VACUUM ANALYZE " + table);
        return db.queryLong("SELECT count(*) FROM " + table + " WHERE deleted_at IS NOT NULL OR expires_at IS NOT NULL");
    }

    private List<String> workers() throws SQLException {
        List<String> urls = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s
                        .executeQuery("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 ORDER BY nodeport")) {
            while (rs.next()) {
                urls.add("jdbc:postgresql://" + rs.getString(1) + ":" + rs.getInt(2) + "/" + db.jdbcUrl.replaceAll(".*/", ""));
            }
        }
        return urls;
    }

    /** The postmaster of each node (the parent of a backend of it). */
    private List<Long> postmasters(List<String> nodes) throws SQLException {
        List<Long> pids = new ArrayList<>();
        for (String url : nodes) {
            try (Connection c = DriverManager.getConnection(url, db.user, db.password);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pids.add(CpuTime.parent(rs.getLong(1)));
            }
        }
        return pids;
    }

    /** CPU µs so far: of each node's PostgreSQL (coordinator first), then of the service. */
    private static long[] cpu(List<Long> postmasters, long service) throws java.io.IOException {
        long[] out = new long[postmasters.size() + 1];
        for (int i = 0; i < postmasters.size(); i++) {
            out[i] = CpuTime.postgres(postmasters.get(i));
        }
        out[postmasters.size()] = CpuTime.process(service);
        return out;
    }

    private static long[] since(long[] before, long[] after) {
        long[] out = new long[after.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = after[i] - before[i];
        }
        return out;
    }

    /** CPU µs per call of each node (coordinator first), over {@code calls} calls; the bench's own JVM left out. */
    private static String perCall(long[] micros, double calls) {
        StringBuilder out = new StringBuilder(String.format("coordinator %.0f µs, workers", micros[0] / calls));
        for (int i = 1; i < micros.length - 1; i++) {
            out.append(String.format(" %.0f µs", micros[i] / calls));
        }
        return out.toString();
    }

    private static String cpuText(long[] micros) {
        StringBuilder out = new StringBuilder(String.format("coordinator %.2f s, workers", micros[0] / 1e6));
        for (int i = 1; i < micros.length - 1; i++) {
            out.append(String.format(" %.2f s", micros[i] / 1e6));
        }
        return out.append(String.format(", service %.2f s", micros[micros.length - 1] / 1e6)).toString();
    }

    private void checkpoint(List<String> workers) throws SQLException {
        for (String url : workers) {
            try (Connection c = DriverManager.getConnection(url, db.user, db.password); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            }
        }
    }

    /** The WAL position of every worker, summed (bytes from the start of each one's WAL). */
    private long wal(List<String> workers) throws SQLException {
        long sum = 0;
        for (String url : workers) {
            try (Connection c = DriverManager.getConnection(url, db.user, db.password);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
                rs.next();
                sum += rs.getLong(1);
            }
        }
        return sum;
    }
}
