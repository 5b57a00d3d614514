package io.cachekeeper.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.path.json.JsonPath;

/**
 * Passes that replicas run at the same moment, with a count of lock waits sampled from the database all
 * the while (the replicas tests: on PostgreSQL and on Citus, which differ only in the sampling query).
 */
public final class SimultaneousPasses {

    /** The reports of the replicas' passes, in their order, each printed. */
    public final List<JsonPath> reports = new ArrayList<>();
    /** The most lock waits one sample counted, and how many samples were taken. */
    public final int maxLockWaits;
    public final int samples;

    private SimultaneousPasses(List<JsonPath> reports, int maxLockWaits, int samples) {
        this.reports.addAll(reports);
        this.maxLockWaits = maxLockWaits;
        this.samples = samples;
    }

    /**
     * Starts a pass on every replica at once and waits for them all, while {@code lockWaits} (a query giving
     * one count) runs as often as it can.
     */
    public static SimultaneousPasses run(List<AppProcess> replicas, String lockWaits) {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger max = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> sample(lockWaits, sampling, max, samples));
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<JsonPath>> passes = new ArrayList<>();
        for (AppProcess replica : replicas) {
            passes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return replica.api().post("/admin/cleanup").then().statusCode(200).extract().jsonPath();
            }));
        }
        go.countDown();
        List<JsonPath> reports = new ArrayList<>();
        for (CompletableFuture<JsonPath> pass : passes) {
            JsonPath report = pass.join();
            System.out.printf("replica report: purged=%d (deleted=%d, expired=%d) batches=%d slowestBatchMs=%d durationMs=%d%n",
                    report.getLong("purged"), report.getLong("purgedDeleted"), report.getLong("purgedExpired"),
                    report.getInt("batches"), report.getLong("slowestBatchMs"), report.getLong("durationMs"));
            reports.add(report);
        }
        sampling.set(false);
        sampler.join();
        System.out.printf("lock waits: max %d over %d samples%n", max.get(), samples.get());
        return new SimultaneousPasses(reports, max.get(), samples.get());
    }

    /** The sum of the reports' {@code purged}. */
    public long purged() {
        return reports.stream().mapToLong(r -> r.getLong("purged")).sum();
    }

    private static void sample(String sql, AtomicBoolean running, AtomicInteger max, AtomicInteger samples) {
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            while (running.get()) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    max.accumulateAndGet(rs.getInt(1), Math::max);
                    samples.incrementAndGet();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
