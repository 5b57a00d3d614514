package io.cachekeeper.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A closed-loop load on the service: {@code threads} clients, each sending its next request when
 * the last one answered; 80% {@code GET /entries?key=…} over the seeded keys, 20% {@code POST /entries}.
 */
final class LoadGenerator {

    /** The p99 of the GETs and of the POSTs apart: a pass weighs on reads and on commits differently. */
    record Result(long requests, long failures, double seconds, double p50Ms, double p99Ms, double getP99Ms,
            double postP99Ms) {
        double throughput() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format("%,d requests in %.1f s = %,.0f req/s, p50 %.2f ms, p99 %.2f ms (GET %.2f, POST %.2f),"
                    + " failures %d", requests, seconds, throughput(), p50Ms, p99Ms, getP99Ms, postP99Ms, failures);
        }
    }

    private static final String BODY = "{\"cacheKey\":\"GET https://example.com/load\",\"request\":{\"method\":\"GET\","
            + "\"url\":\"https://example.com/load\"},\"response\":{\"status\":200,\"body\":\"aGVsbG8=\"},\"ttlSeconds\":3600}";

    private final ServiceProcess service;
    private final int threads;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    LoadGenerator(ServiceProcess service, int threads) {
        this.service = service;
        this.threads = threads;
    }

    /** Runs until {@code keepGoing} turns false (checked between requests) or {@code max} has passed. */
    Result run(Duration max, BooleanSupplier keepGoing) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failures = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[2_000_000];
            latencies.add(mine);
            int index = t;
            Thread worker = new Thread(() -> {
                int n = 0;
                while (!stop.get()) {
                    HttpRequest request = next();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() >= 300) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    if (n < mine.length - 1) {
                        // A POST's latency is kept negated, so one array holds both kinds.
                        long nanos = System.nanoTime() - t0;
                        mine[n++] = request.method().equals("POST") ? -nanos : nanos;
                    }
                    if (index == 0 && (System.nanoTime() > deadline || !keepGoing.getAsBoolean())) {
                        stop.set(true);
                    }
                }
                mine[mine.length - 1] = n; // count in the last slot
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = latencies.stream().mapToLong(l -> l[l.length - 1]).sum();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] l : latencies) {
            int n = (int) l[l.length - 1];
            System.arraycopy(l, 0, all, k, n);
            k += n;
        }
        long[] gets = Arrays.stream(all).filter(l -> l >= 0).sorted().toArray();
        long[] posts = Arrays.stream(all).filter(l -> l < 0).map(Math::abs).sorted().toArray();
        long[] both = Arrays.stream(all).map(Math::abs).sorted().toArray();
        return new Result(total, failures.get(), seconds, percentile(both, 0.50), percentile(both, 0.99),
                percentile(gets, 0.99), percentile(posts, 0.99));
    }

    private HttpRequest next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String base = "http://localhost:" + service.port;
        if (random.nextInt(10) < 8) {
            String key = "GET%20https://example.com/k" + random.nextInt(50_000);
            return HttpRequest.newBuilder(URI.create(base + "/entries?key=" + key))
                    .header("Authorization", service.auth).timeout(Duration.ofSeconds(30)).GET().build();
        }
        return HttpRequest.newBuilder(URI.create(base + "/entries")).header("Authorization", service.auth)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
