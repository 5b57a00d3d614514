package io.cachekeeper.bench;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operators' console on a large store: each page's API calls (the calls console.js makes for it) timed through
 * the service, median and range of five after a warm-up, and the plan of every statement each page ran: the
 * statements are read back from {@code pg_stat_statements} and explained with {@code EXPLAIN (GENERIC_PLAN)}, so the
 * plans named are those of the service's own SQL, not a copy of it. The store: {@code rows} entries (the purge
 * section's mix: 30% soft-deleted, 30% expired, 40% live), the deletions spread over the last 48 hours, 1% tagged.
 */
final class ConsolePages {

    private static final Pattern SCAN = Pattern.compile(
            "(Parallel )?(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan)( Backward)?( using \\S+)? on \\S+");

    private final BenchDatabase db;
    private final Consumer<String> say;

    ConsolePages(BenchDatabase db, Consumer<String> say) {
        this.db = db;
        this.say = say;
    }

    void run(int rows) throws Exception {
        db.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        db.seed("cache_entry", rows);
        db.exec("UPDATE cache_entry SET deleted_at = now() - (hashtext(id::text)::bigint & 1023) * interval '168.75 seconds'"
                + " WHERE deleted_at IS NOT NULL");
        db.exec("UPDATE cache_entry SET tags = ARRAY['product-42'] WHERE hashtext(request_url) % 100 = 0");
        db.exec("VACUUM ANALYZE cache_entry");
        db.exec("CHECKPOINT");
        String someId = db.queryString("SELECT id FROM cache_entry WHERE deleted_at IS NOT NULL LIMIT 1");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(5, ChronoUnit.HOURS);
        String anHour = "deletedAfter=" + q(hour.minusNanos(1000).toString()) + "&deletedBefore="
                + q(hour.plus(1, ChronoUnit.HOURS).toString());
        say.accept(String.format("store: %,d entries, %,d soft-deleted over 48 h, %,d tagged product-42", rows,
                db.queryLong("SELECT count(*) FROM cache_entry WHERE deleted_at IS NOT NULL"),
                db.queryLong("SELECT count(*) FROM cache_entry WHERE tags && ARRAY['product-42']")));
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of("CACHEKEEPER_CLEANUP_ENABLED", "false"))) {
            page(service, "overview: the chart", List.of("GET /admin/deletions?hours=48", "GET /admin/cleanup"));
            page(service, "overview: entries and bytes per state (exact)", List.of("GET /admin/stats"));
            page(service, "recycle bin: deleted, newest first", List.of("GET /admin/entries?state=deleted&limit=50"));
            page(service, "recycle bin: one hour of the chart",
                    List.of("GET /admin/entries?state=deleted&state=purgeable&" + anHour + "&limit=50"));
            page(service, "recycle bin: a tag", List.of("GET /admin/entries?state=deleted&tag=product-42&limit=50"));
            page(service, "restore: the dry run's count of a tag",
                    List.of("POST /admin/entries/restore?tag=product-42&dryRun=true"));
            page(service, "an entry", List.of("GET /entries/" + someId));
            page(service, "cleanup: status", List.of("GET /admin/cleanup"));
        }
    }

    /** One page: its calls in sequence, five times after a warm-up; the statements they ran and their plans. */
    private void page(ServiceProcess service, String name, List<String> calls) throws Exception {
        for (int i = 0; i < 2; i++) {
            time(service, calls);
        }
        db.exec("SELECT pg_stat_statements_reset()");
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ms.add(time(service, calls));
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        say.accept(String.format("%-50s median %6.1f ms (%.1f–%.1f)%s", name, sorted[2], sorted[0], sorted[4],
                sorted[2] <= 150 ? "" : "  OVER 150 ms"));
        for (String plan : plans()) {
            say.accept("    " + plan);
        }
    }

    private static double time(ServiceProcess service, List<String> calls) throws Exception {
        long t0 = System.nanoTime();
        for (String call : calls) {
            String[] parts = call.split(" ", 2);
            HttpResponse<String> response = service.send(parts[0], parts[1], null);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(call + " answered " + response.statusCode() + ": " + response.body());
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The scans of each statement the service ran since the reset (its own text, generic plan), one line each. */
    private List<String> plans() throws Exception {
        List<String> out = new ArrayList<>();
        // The simple query protocol: the statements' $n reach EXPLAIN as text, which GENERIC_PLAN plans without values.
        String simple = db.jdbcUrl + (db.jdbcUrl.contains("?") ? "&" : "?") + "preferQueryMode=simple";
        try (Connection c = DriverManager.getConnection(simple, db.user, db.password); Statement s = c.createStatement()) {
            List<String> queries = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT query FROM pg_stat_statements WHERE query ILIKE '%cache_entry%'"
                    + " AND query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE 'EXPLAIN%' ORDER BY total_exec_time DESC")) {
                while (rs.next()) {
                    queries.add(rs.getString(1));
                }
            }
            for (String query : queries) {
                Set<String> scans = new LinkedHashSet<>();
                try (ResultSet rs = s.executeQuery("EXPLAIN (GENERIC_PLAN) " + query)) {
                    while (rs.next()) {
                        Matcher m = SCAN.matcher(rs.getString(1));
                        if (m.find()) {
                            scans.add(m.group().replace("cache_entry_", "").replace(" on cache_entry", ""));
                        }
                    }
                } catch (SQLException e) {
                    // pg_stat_statements replaces constants by $n, also where no parameter may stand (interval $7)
                    scans.add(
                            "(its normalized text cannot be explained: " + e.getMessage().lines().findFirst().orElse("") + ")");
                }
                String head = query.replaceAll("\\s+", " ");
                out.add(String.join(", ", scans) + "  ← " + head.substring(0, Math.min(90, head.length())) + "…");
            }
        }
        return out;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
