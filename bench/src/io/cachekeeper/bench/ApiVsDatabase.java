package io.cachekeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API against its own database: wrk drives {@code GET /entries?key=K} and {@code POST /entries}
 * with 4 connections; pg_stat_statements then shows which statements the service ran for them (and how
 * many per request), and pgbench runs exactly those statement texts with 4 clients on the same
 * database, in the same run. The ratio service req/s ÷ pgbench tps is how close the API comes to
 * the database's own speed.
 */
final class ApiVsDatabase {

    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_P99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern WRK_ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern PGBENCH_TPS = Pattern.compile("tps = ([0-9.]+)");
    private static final int CONNECTIONS = 4;
    private static final int SECONDS = 10;

    private final BenchDatabase db;
    private final Consumer<String> say;

    ApiVsDatabase(BenchDatabase db, Consumer<String> say) {
        this.db = db;
        this.say = say;
    }

    record Wrk(double rate, double p99Ms, long errors) {
    }

    void run(int rows, int rounds) throws Exception {
        if (!onPath("wrk") || !onPath("pgbench")) {
            say.accept("skipped: needs wrk and pgbench on the PATH (bench/run.sh installs them on Debian)");
            return;
        }
        db.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        db.seedLive("cache_entry", rows);
        Path dir = Files.createTempDirectory("bench-api");
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of())) {
            Path get = lua(dir, "get.lua", """
                    request = function()
                      return wrk.format("GET", "/entries?key=GET%%20https://example.com/k" .. math.random(0, 49999),
                        {["Authorization"] = "%s"})
                    end
                    """.formatted(service.auth));
            Path post = lua(dir, "post.lua", """
                    wrk.method = "POST"
                    wrk.path = "/entries"
                    wrk.headers["Authorization"] = "%s"
                    wrk.headers["Content-Type"] = "application/json"
                    wrk.body = '{"cacheKey":"GET https://example.com/load","request":{"method":"GET","url":"https://example.com/load","headers":{"accept":["text/html"]}},"response":{"status":200,"headers":{"content-type":["text/html"]},"body":"aGVsbG8gd29ybGQ="},"ttlSeconds":3600}'
                    """.formatted(service.auth));
            // Warm-up: the JIT needs about half a minute of load before the figures settle (measured: the
            // first 10 s after start run at about half the speed of the next ones).
            wrk(service, get, 30);
            wrk(service, post, 20);
            for (int round = 1; round <= rounds; round++) {
                compare(service, get, "GET /entries?key=K", "%cache_key = $1%", round, dir);
                compare(service, post, "POST /entries", "INSERT INTO cache_entry%", round, dir);
            }
        }
    }

    private void compare(ServiceProcess service, Path script, String call, String pattern, int round, Path dir)
            throws Exception {
        db.exec("SELECT pg_stat_statements_reset()");
        Wrk api = wrk(service, script, SECONDS);
        List<String[]> statements = statements();
        long requests = Math.round(api.rate * SECONDS);
        long calls = statements.stream().mapToLong(s -> Long.parseLong(s[1])).sum();
        String sql = lastStatement(pattern);
        double tps = pgbench(dir, sql);
        say.accept(String.format("round %d, %s: service %,.0f req/s (p99 %.2f ms, %d non-2xx), %.2f statements per request;"
                + " pgbench, same SQL: %,.0f tps; RATIO %.2f  (target >= 0.5, milestone 0.35)",
                round, call, api.rate, api.p99Ms, api.errors, (double) calls / Math.max(1, requests), tps, api.rate / tps));
    }

    /** The statements the service ran since the reset, busiest first: text and calls. */
    private List<String[]> statements() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT query, calls FROM pg_stat_statements"
                        + " WHERE query NOT LIKE '%pg_stat_statements%' AND dbid = (SELECT oid FROM pg_database"
                        + " WHERE datname = current_database()) ORDER BY calls DESC")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }

    /**
     * The exact text of the service's last statement that matches {@code pattern} (LIKE), from
     * pg_stat_activity (pg_stat_statements would show it with its constants replaced by placeholders).
     */
    private String lastStatement(String pattern) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT query FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                        + " AND query LIKE '" + pattern + "' AND query NOT LIKE '%pg_stat_activity%' LIMIT 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("no statement like " + pattern + " of the service in pg_stat_activity");
            }
            String sql = rs.getString(1);
            if (!sql.contains("RETURNING") && !sql.contains("LIMIT")) {
                throw new IllegalStateException("statement truncated (raise track_activity_query_size): " + sql);
            }
            return sql;
        }
    }

    /** Binds the service's $n parameters to what the load sends, so pgbench runs the very same text. */
    private static String bind(String sql) {
        String key = "('GET https://example.com/k' || :k)";
        if (!sql.startsWith("INSERT")) {
            return sql.replace("$4", "101").replace("$3", "false").replace("$2", "false").replace("$1", key);
        }
        // INSERT: id, key, method, url, request headers, status, response headers, body, metadata, ttl
        return sql.replace("$10", "3600").replace("$9", "'{}'").replace("$8", "'\\x68656c6c6f20776f726c64'::bytea")
                .replace("$7", "'{\"content-type\":[\"text/html\"]}'").replace("$6", "200")
                .replace("$5", "'{\"accept\":[\"text/html\"]}'").replace("$4", "'https://example.com/load'")
                .replace("$3", "'GET'").replace("$2", "'GET https://example.com/load'").replace("$1", "gen_random_uuid()");
    }

    private double pgbench(Path dir, String serviceSql) throws Exception {
        Path script = dir.resolve("pgbench.sql");
        Files.writeString(script, "\\set k random(0, 49999)\n" + bind(serviceSql).replace("\n", " ") + ";\n");
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(db.jdbcUrl);
        if (!url.find()) {
            throw new IllegalStateException(db.jdbcUrl);
        }
        ProcessBuilder pb = new ProcessBuilder("pgbench", "-n", "-M", "prepared", "-c", "" + CONNECTIONS, "-j", "2",
                "-T", "" + SECONDS, "-f", script.toString(), "-h", url.group(1), "-p", url.group(2), "-U", db.user,
                url.group(3));
        pb.environment().put("PGPASSWORD", db.password);
        String out = run(pb);
        Matcher tps = PGBENCH_TPS.matcher(out);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench: " + out);
        }
        return Double.parseDouble(tps.group(1));
    }

    private static Wrk wrk(ServiceProcess service, Path script, int seconds) throws Exception {
        String out = run(new ProcessBuilder("wrk", "-t", "2", "-c", "" + CONNECTIONS, "-d", seconds + "s", "--latency",
                "-s", script.toString(), "http://localhost:" + service.port));
        Matcher rate = WRK_RATE.matcher(out);
        Matcher p99 = WRK_P99.matcher(out);
        Matcher errors = WRK_ERRORS.matcher(out);
        if (!rate.find() || !p99.find()) {
            throw new IllegalStateException("wrk: " + out);
        }
        double factor = switch (p99.group(2)) {
            case "us" -> 0.001;
            case "s" -> 1000;
            default -> 1;
        };
        return new Wrk(Double.parseDouble(rate.group(1)), Double.parseDouble(p99.group(1)) * factor,
                errors.find() ? Long.parseLong(errors.group(1)) : 0);
    }

    private static Path lua(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", pb.command()) + ": " + out);
        }
        return out;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
