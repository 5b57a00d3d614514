package io.cachekeeper.bench;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Invalidation by tag on a large table: {@code DELETE /entries?tag=} over 10% of the rows against one
 * {@code UPDATE … SET deleted_at = now()} of the same rows on a copy (the single statement a client of
 * psql would run; the service runs batches of {@code cachekeeper.invalidation.batch-size}), the API's p99
 * while it runs against idle, and a tag on every row (it must complete).
 */
final class TagInvalidation {

    private static final String LIVE = "deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())";

    private final BenchDatabase db;
    private final Consumer<String> say;

    TagInvalidation(BenchDatabase db, Consumer<String> say) {
        this.db = db;
        this.say = say;
    }

    void run(int rows, int threads) throws Exception {
        seed(rows);
        long tagged = db.queryLong("SELECT count(*) FROM cache_entry WHERE tags && ARRAY['hot']");
        double update = updateOnCopy();
        say.accept(String.format("one UPDATE … SET deleted_at = now() of the %,d tagged rows (of %,d) on a copy: %.3f s",
                tagged, rows, update));
        // The same invalidation with nothing else running, at the default batch size (BENCH_TAG_BATCH_SIZES
        // lists others to compare): the time against the UPDATE's.
        for (String batch : System.getenv().getOrDefault("BENCH_TAG_BATCH_SIZES", "1000").split(",")) {
            try (ServiceProcess service = new ServiceProcess(db, List.of(),
                    Map.of("CACHEKEEPER_INVALIDATION_BATCH_SIZE", batch))) {
                warmUp(service);
                long t0 = System.nanoTime();
                long n = invalidate(service, "hot");
                double seconds = (System.nanoTime() - t0) / 1e9;
                say.accept(String.format("DELETE /entries?tag=hot, batch size %s, no other load: %,d entries in %.3f s;"
                        + " TIME RATIO to the UPDATE %.2f (target <= 2)", batch, n, seconds, seconds / update));
            }
            reset();
        }
        try (ServiceProcess service = new ServiceProcess(db, List.of(), Map.of())) {
            LoadGenerator load = new LoadGenerator(service, threads);
            load.run(Duration.ofSeconds(20), () -> true); // warm-up: JIT, connection pools
            warmUp(service);
            LoadGenerator.Result idle = load.run(Duration.ofSeconds(10), () -> true);
            long t0 = System.nanoTime();
            CompletableFuture<Long> deleted = CompletableFuture.supplyAsync(() -> invalidate(service, "hot"));
            LoadGenerator.Result during = load.run(Duration.ofSeconds(600), () -> !deleted.isDone());
            long n = deleted.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            say.accept(String.format("DELETE /entries?tag=hot under %d clients (giving way: invalidation.share-under-load):"
                    + " %,d entries in %.3f s", threads, n, seconds));
            say.accept(String.format("API idle:   %s", idle));
            say.accept(String.format("API during: %s", during));
            say.accept(
                    String.format("RATIO p99 during / idle: %.2f (target <= 1.5); failures: %d", during.p99Ms() / idle.p99Ms(),
                            idle.failures() + during.failures()));
            db.exec("UPDATE cache_entry SET tags = ARRAY['everything'], deleted_at = NULL");
            db.exec("VACUUM ANALYZE cache_entry");
            long t1 = System.nanoTime();
            long all = invalidate(service, "everything");
            say.accept(String.format("DELETE /entries?tag=everything (every row tagged): %,d entries in %.3f s", all,
                    (System.nanoTime() - t1) / 1e9));
        }
    }

    /** The invalidation's code compiled, on small tags, as in a service that has run some. */
    private static void warmUp(ServiceProcess service) {
        for (int i = 0; i < 5; i++) {
            invalidate(service, "warm-" + i);
        }
    }

    /** Every row live again, the table vacuumed (the dead versions and the GIN pending list gone). */
    private void reset() throws Exception {
        db.exec("UPDATE cache_entry SET deleted_at = NULL WHERE deleted_at IS NOT NULL");
        db.exec("VACUUM ANALYZE cache_entry");
        db.exec("CHECKPOINT");
    }

    /** Every row live; a tenth tagged "hot" among two more tags of their own, a third more with others, the rest none. */
    private void seed(int rows) throws Exception {
        db.seedLive("cache_entry", rows);
        db.exec("UPDATE cache_entry SET tags = CASE WHEN abs(hashtext(id::text)) % 10 = 0"
                + " THEN ARRAY['hot', 'product-' || abs(hashtext(id::text)) % 1000, 'page-' || abs(hashtext(id::text)) % 97]"
                + " WHEN abs(hashtext(id::text)) % 10 < 4 THEN ARRAY['product-' || abs(hashtext(id::text)) % 1000] END");
        for (int i = 0; i < 5; i++) {
            db.exec("UPDATE cache_entry SET tags = tags || ARRAY['warm-" + i + "'] WHERE id IN"
                    + " (SELECT id FROM cache_entry WHERE tags IS NULL LIMIT 100)");
        }
        db.exec("VACUUM ANALYZE cache_entry");
        db.exec("CHECKPOINT");
    }

    /** One UPDATE of the "hot" rows on a copy of the table with its indexes, right after a CHECKPOINT. */
    private double updateOnCopy() throws Exception {
        db.exec("DROP TABLE IF EXISTS bench_copy");
        db.exec("CREATE TABLE bench_copy (LIKE cache_entry INCLUDING ALL)");
        db.exec("INSERT INTO bench_copy SELECT * FROM cache_entry");
        db.exec("VACUUM ANALYZE bench_copy");
        db.exec("CHECKPOINT");
        double seconds;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            s.execute("UPDATE bench_copy SET deleted_at = now(), updated_at = now(), version = version + 1"
                    + " WHERE tags && ARRAY['hot'] AND " + LIVE);
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        db.exec("DROP TABLE bench_copy");
        db.exec("CHECKPOINT");
        return seconds;
    }

    private static long invalidate(ServiceProcess service, String tag) {
        try {
            HttpResponse<String> r = service.send("DELETE", "/entries?tag=" + tag, null);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("DELETE ?tag=" + tag + " answered " + r.statusCode() + ": " + r.body());
            }
            return Long.parseLong(r.body().replaceAll("\\D", ""));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
