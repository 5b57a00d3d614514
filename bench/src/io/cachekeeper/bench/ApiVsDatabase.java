package io.cachekeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cachekeeper.database.SqlCatalogue;

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
    private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern WRK_ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern PGBENCH_COUNT = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern PGBENCH_TPS = Pattern.compile("tps = ([0-9.]+)");
    private static final int CONNECTIONS = 4;
    private static final int SECONDS = 10;

    private final BenchDatabase db;
    private final Consumer<String> say;

    ApiVsDatabase(BenchDatabase db, Consumer<String> say) {
        this.db = db;
        this.say = say;
    }

    record Wrk(double rate, double p99Ms, long errors, long requests) {
    }

    /** One wrk run of the service: its figures and the CPU each side spent per request. */
    record ApiRun(Wrk wrk, double statementsPerRequest, double jvmMicros, double postgresMicros, String sql) {
    }

    /** One pgbench run: transactions per second and PostgreSQL's CPU per transaction. */
    record SqlRun(double tps, double postgresMicros) {
    }

    /** The plain indexed lookup of a key's live entries: the floor a key lookup's database cost is judged by. */
    static final String PLAIN_LOOKUP = "SELECT * FROM cache_entry WHERE cache_key = ('GET https://example.com/k' || :k)"
            + " AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at, id";

    private long postmaster;

    void run(int rows, int rounds) throws Exception {
        if (!onPath("wrk") || !onPath("pgbench")) {
            say.accept("skipped: needs wrk and pgbench on the PATH (bench/run.sh installs them on Debian)");
            return;
        }
        db.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        db.seedLive("cache_entry", rows);
        // CPU is counted over all of PostgreSQL's processes: no autovacuum worker may add its own to a
        // measurement (the table is vacuumed between rounds instead).
        db.exec("ALTER TABLE cache_entry SET (autovacuum_enabled = off)");
        postmaster = db.postmasterPid();
        Path dir = Files.createTempDirectory("bench-api");
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of())) {
            Path get = lua(dir, "get.lua", """
                    request = function()
                      return wrk.format("GET", "/entries?key=GET%%20https://example.com/k" .. math.random(0, 49999),
                        {["Authorization"] = "%s"})
                    end
                    """.formatted(service.auth));
            Path post = lua(dir, "post.lua", postScript(service, ""));
            Path postTagged = lua(dir, "post-tagged.lua",
                    postScript(service, ",\"tags\":[\"product-42\",\"category-7\",\"page-home\"]"));
            // Warm-up: the JIT needs about half a minute of load before the figures settle (measured: the
            // first 10 s after start run at about half the speed of the next ones).
            wrk(service, get, 30);
            wrk(service, post, 20);
            wrk(service, postTagged, 10);
            for (int round = 1; round <= rounds; round++) {
                settle();
                ApiRun lookups = api(service, get, "%FROM cache_entry%cache_key = $%");
                SqlRun plain = pgbench(dir, PLAIN_LOOKUP);
                SqlRun lookupSql = pgbench(dir, bind(lookups.sql));
                ApiRun creates = api(service, post, "INSERT INTO cache_entry%");
                SqlRun insertSql = pgbench(dir, bind(creates.sql));
                settle();
                ApiRun tagged = api(service, postTagged, "INSERT INTO cache_entry%");
                report(round, "GET /entries?key=K", lookups, lookupSql);
                report(round, "POST /entries", creates, insertSql);
                say.accept(String.format("round %d, POST /entries with 3 tags: service %,.0f req/s (p99 %.2f ms, %d non-2xx),"
                        + " CPU per request JVM %.0f µs + PostgreSQL %.0f µs; PostgreSQL CPU with 3 tags / without: %.2f"
                        + " (target <= 1.25)", round, tagged.wrk.rate, tagged.wrk.p99Ms, tagged.wrk.errors, tagged.jvmMicros,
                        tagged.postgresMicros, tagged.postgresMicros / creates.postgresMicros));
                say.accept(String.format("round %d, pgbench plain key lookup: %,.0f tps, PostgreSQL %.0f µs per statement;"
                        + " GET's PostgreSQL CPU in the service / plain lookup's: %.2f (target <= 1.3)",
                        round, plain.tps, plain.postgresMicros, lookups.postgresMicros / plain.postgresMicros));
            }
        }
    }

    /** Drops what the POST runs inserted and vacuums, so every round reads the same table. */
    private void settle() throws SQLException {
        db.exec("DELETE FROM cache_entry WHERE cache_key = 'GET https://example.com/load'");
        db.exec("VACUUM ANALYZE cache_entry");
        db.exec("CHECKPOINT");
    }

    private void report(int round, String call, ApiRun api, SqlRun sql) {
        say.accept(String.format("round %d, %s: service %,.0f req/s (p99 %.2f ms, %d non-2xx), %.2f statements per request,"
                + " CPU per request JVM %.0f µs + PostgreSQL %.0f µs; pgbench, same SQL: %,.0f tps, PostgreSQL %.0f µs per"
                + " statement; req/s RATIO %.2f",
                round, call, api.wrk.rate, api.wrk.p99Ms, api.wrk.errors, api.statementsPerRequest, api.jvmMicros,
                api.postgresMicros, sql.tps, sql.postgresMicros, api.wrk.rate / sql.tps));
    }

    private ApiRun api(ServiceProcess service, Path script, String pattern) throws Exception {
        db.exec("SELECT pg_stat_statements_reset()");
        long jvm = CpuTime.process(service.pid());
        long pg = CpuTime.postgres(postmaster);
        Wrk run = wrk(service, script, SECONDS);
        double jvmMicros = (double) (CpuTime.process(service.pid()) - jvm) / run.requests;
        double pgMicros = (double) (CpuTime.postgres(postmaster) - pg) / run.requests;
        long calls = statements().stream().mapToLong(s -> Long.parseLong(s[1])).sum();
        return new ApiRun(run, (double) calls / Math.max(1, run.requests), jvmMicros, pgMicros, lastStatement(pattern));
    }

    /** The statements the service ran since the reset, busiest first: text and calls. */
    private List<String[]> statements() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT query, calls FROM pg_stat_statements"
                        + " WHERE query NOT LIKE '%pg_stat_statements%' AND dbid = (SELECT oid FROM pg_database"
                        + " WHERE datname = current_database()) ORDER BY calls DESC")) {
            while (rs.next()) {
                out.add(new String[] { rs.getString(1), rs.getString(2) });
            }
        }
        return out;
    }

    /**
     * The exact text of the service's last statement that matches {@code pattern} (LIKE), from
     * pg_stat_activity (pg_stat_statements would show it with its constants replaced by placeholders).
     */
    private String lastStatement(String pattern) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
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
            // A key lookup: its parameters bound by name, in the order of the service's own statement (the catalogue's;
            // the settings written into its text do not move them).
            String name = sql.contains(" AS fits") ? "entries-by-key-with-bodies" : "entries-by-key";
            List<String> names = SqlCatalogue.load(null, Map.of("grace_period", "1 hour", "stale_retention", "1 hour",
                    "upload_timeout", "1 hour")).get(name).names();
            Map<String, String> values = Map.of("cache_key", key, "limit", "101", "include_deleted", "false",
                    "include_expired", "false", "after_created_at", "'0001-01-01T00:00:00Z'",
                    "after_id", "'00000000-0000-0000-0000-000000000000'", "page_bytes", String.valueOf(16L << 20));
            String out = sql;
            for (int i = names.size(); i >= 1; i--) { // $10 before $1
                out = out.replace("$" + i, values.get(names.get(i - 1)));
            }
            return out;
        }
        // INSERT: each parameter bound by the column it fills (the service names its parameters, and their
        // positions follow from the statement's text, not a fixed order).
        Map<String, String> values = Map.of("id", "gen_random_uuid()", "cache_key", "'GET https://example.com/load'",
                "request_method", "'GET'", "request_url", "'https://example.com/load'",
                "request_headers", "'{\"accept\":[\"text/html\"]}'", "response_status", "200",
                "response_headers", "'{\"content-type\":[\"text/html\"]}'",
                "response_body", "'\\x68656c6c6f20776f726c64'::bytea", "metadata", "'{}'", "ttl_seconds", "3600");
        Matcher insert = Pattern.compile("INSERT INTO cache_entry \\(([^)]*)\\)\\s*VALUES \\((.*)\\)\\s*ON CONFLICT",
                Pattern.DOTALL).matcher(sql);
        if (!insert.find()) {
            throw new IllegalStateException("not the insert's shape: " + sql);
        }
        String[] columns = insert.group(1).split(",");
        List<String> expressions = topLevel(insert.group(2));
        Map<Integer, String> bound = new TreeMap<>(Comparator.reverseOrder());
        for (int i = 0; i < columns.length; i++) {
            Matcher parameter = Pattern.compile("\\$(\\d+)").matcher(expressions.get(i));
            if (parameter.find()) {
                bound.put(Integer.parseInt(parameter.group(1)), values.getOrDefault(columns[i].trim(), "NULL"));
            }
        }
        String out = sql;
        for (Map.Entry<Integer, String> b : bound.entrySet()) { // $11 before $1
            out = out.replace("$" + b.getKey(), b.getValue());
        }
        return out;
    }

    /** The comma-separated items of a list, commas inside parentheses or quotes aside. */
    private static List<String> topLevel(String list) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder item = new StringBuilder();
        for (char c : list.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                items.add(item.toString());
                item.setLength(0);
                continue;
            }
            item.append(c);
        }
        items.add(item.toString());
        return items;
    }

    private SqlRun pgbench(Path dir, String sql) throws Exception {
        Path script = dir.resolve("pgbench.sql");
        Files.writeString(script, "\\set k random(0, 49999)\n" + sql.replace("\n", " ") + ";\n");
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(db.jdbcUrl);
        if (!url.find()) {
            throw new IllegalStateException(db.jdbcUrl);
        }
        ProcessBuilder pb = new ProcessBuilder("pgbench", "-n", "-M", "prepared", "-c", "" + CONNECTIONS, "-j", "2",
                "-T", "" + SECONDS, "-f", script.toString(), "-h", url.group(1), "-p", url.group(2), "-U", db.user,
                url.group(3));
        pb.environment().put("PGPASSWORD", db.password);
        long pg = CpuTime.postgres(postmaster);
        String out = run(pb);
        Thread.sleep(300); // pgbench's backends exit as it does; the postmaster reaps them (and their CPU) then
        long micros = CpuTime.postgres(postmaster) - pg;
        Matcher tps = PGBENCH_TPS.matcher(out);
        Matcher count = PGBENCH_COUNT.matcher(out);
        if (!tps.find() || !count.find()) {
            throw new IllegalStateException("pgbench: " + out);
        }
        return new SqlRun(Double.parseDouble(tps.group(1)), (double) micros / Long.parseLong(count.group(1)));
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
        Matcher requests = WRK_REQUESTS.matcher(out);
        if (!requests.find()) {
            throw new IllegalStateException("wrk: " + out);
        }
        return new Wrk(Double.parseDouble(rate.group(1)), Double.parseDouble(p99.group(1)) * factor,
                errors.find() ? Long.parseLong(errors.group(1)) : 0, Long.parseLong(requests.group(1)));
    }

    /** A wrk script that stores one small entry per request; {@code extraFields} go at the end of its JSON. */
    private static String postScript(ServiceProcess service, String extraFields) {
        return """
                wrk.method = "POST"
                wrk.path = "/entries"
                wrk.headers["Authorization"] = "%s"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{"cacheKey":"GET https://example.com/load","request":{"method":"GET","url":"https://example.com/load","headers":{"accept":["text/html"]}},"response":{"status":200,"headers":{"content-type":["text/html"]},"body":"aGVsbG8gd29ybGQ="},"ttlSeconds":3600%s}'
                """
                .formatted(service.auth, extraFields);
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
