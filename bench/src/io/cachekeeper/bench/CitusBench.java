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
    /** Passes over 150,000 rows (~560 ranges each) before the measured one. */
    private static final int WARM_UP_ROUNDS = 6;
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
            // The pass's code compiled first, as in a service that has run passes before (Benchmarks.warmUp): without
            // it the JIT compiled for ~3.9 s during the measured pass (JFR's CompilerStatistics), all of the JVM's
            // CPU then, on the two cores the cluster needs.
            for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                seed("cache_entry", 150_000, clock);
                db.exec("INSERT INTO cache_entry_id (id, cache_key) SELECT id, cache_key FROM cache_entry");
                service.send("POST", "/admin/cleanup", null);
            }
            long eligible = seed("cache_entry", rows, clock);
            db.exec("INSERT INTO cache_entry_id (id, cache_key) SELECT id, cache_key FROM cache_entry");
            db.exec("DROP TABLE IF EXISTS bench_copy");
            db.exec("CREATE TABLE bench_copy (LIKE cache_entry INCLUDING ALL)");
            db.exec("SELECT create_distributed_table('bench_copy', 'cache_key', colocate_with => 'cache_entry')");
            db.exec("INSERT INTO bench_copy SELECT * FROM cache_entry");

            String eligibleAt = "(deleted_at <= '" + clock + "'::timestamptz - interval '1 hour'"
                    + " OR (deleted_at IS NULL AND expires_at <= '" + clock + "'::timestamptz))";
            checkpoint(workers);
            long wal0 = wal(workers);
            long t0 = System.nanoTime();
            db.exec("DELETE FROM bench_copy WHERE " + eligibleAt);
            double deleteSeconds = (System.nanoTime() - t0) / 1e9;
            long deleteWal = wal(workers) - wal0;
            say("one coordinator DELETE on the distributed copy: %,d rows in %.3f s = %,.0f rows/s, WAL %,d MB over the workers",
                    eligible, deleteSeconds, eligible / deleteSeconds, deleteWal / 1_000_000);

            checkpoint(workers);
            wal0 = wal(workers);
            JsonNode report = JSON.readTree(service.send("POST", "/admin/cleanup", null).body());
            long passWal = wal(workers) - wal0;
            double passSeconds = report.get("durationMs").asLong() / 1000.0;
            say("cleanup pass (shard by shard): %,d rows in %.3f s = %,.0f rows/s, %d batches, slowest %d ms, completed=%s,"
                    + " WAL %,d MB over the workers (its id map's rows included)", report.get("purged").asLong(), passSeconds,
                    report.get("purged").asLong() / passSeconds, report.get("batches").asInt(),
                    report.get("slowestBatchMs").asLong(), report.get("completed").asBoolean(), passWal / 1_000_000);
            say("RATIO Citus pass / coordinator DELETE throughput: %.2f  (target >= 0.8)",
                    (report.get("purged").asLong() / passSeconds) / (eligible / deleteSeconds));
            say("RATIO Citus pass / coordinator DELETE WAL: %.3f  (target <= 1.1)", (double) passWal / deleteWal);
            long left = db.queryLong("SELECT count(*) FROM cache_entry WHERE " + eligibleAt);
            if (left != 0) {
                say("WARNING: %,d eligible rows left after the pass", left);
            }
        }
        lookups();
    }

    /** Key lookups and by-id reads, 4 threads for 10 s each, on the distributed table and on a plain copy. */
    private void lookups() throws Exception {
        db.exec("DROP TABLE IF EXISTS bench_plain");
        db.exec("CREATE TABLE bench_plain (LIKE cache_entry INCLUDING ALL)");
        // The plain table's primary key is the id alone, as on PostgreSQL (the distributed one's is (cache_key, id)).
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
        String byKey = "SELECT id, response_status FROM %s WHERE cache_key = ? ORDER BY created_at, id LIMIT 10";
        double citusKey = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            one(c, byKey.formatted("cache_entry"), e[1]);
        });
        double plainKey = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            one(c, byKey.formatted("bench_plain"), e[1]);
        });
        // By id: on Citus the id map, then the row by id and key (entry/ByIdRoute); on the plain table, by id.
        double citusId = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            String key = one(c, "SELECT cache_key FROM cache_entry_id WHERE id = ?::uuid", e[0]);
            one(c, "SELECT id::text FROM cache_entry WHERE id = ?::uuid AND cache_key = ?", e[0], key);
        });
        double plainId = rate(c -> {
            String[] e = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            one(c, "SELECT id::text FROM bench_plain WHERE id = ?::uuid", e[0]);
        });
        say("key lookups/s through the coordinator: %,.0f distributed, %,.0f plain table: RATIO %.2f", citusKey, plainKey,
                citusKey / plainKey);
        say("by-id reads/s through the coordinator: %,.0f distributed (id map + row), %,.0f plain table: RATIO %.2f", citusId,
                plainId, citusId / plainId);
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

    /** 30% soft-deleted past grace, 30% expired, 40% live, over 50,000 keys, ~600-byte bodies; times as literals. */
    private long seed(String table, int rows, Instant clock) throws SQLException {
        db.exec("TRUNCATE " + table + ", cache_entry_id");
        String at = "'" + clock + "'::timestamptz";
        db.exec("INSERT INTO " + table + " (id, cache_key, request_method, request_url, request_headers, response_status,"
                + " response_headers, response_body, metadata, ttl_seconds, created_at, updated_at, expires_at, deleted_at)"
                + " SELECT gen_random_uuid(), 'GET https://example.com/k' || (i % 50000), 'GET', 'https://example.com/' || i,"
                + " '{}', 200, '{}', decode(repeat(md5(i::text), 38), 'hex'), '{}',"
                + " CASE WHEN i % 10 BETWEEN 3 AND 5 THEN 3600 END, " + at + " - interval '3 days', " + at + ","
                + " CASE WHEN i % 10 BETWEEN 3 AND 5 THEN " + at + " - interval '1 day' END,"
                + " CASE WHEN i % 10 < 3 THEN " + at + " - interval '2 days' END"
                + " FROM generate_series(1, " + rows + ") AS i");
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
