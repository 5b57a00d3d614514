package io.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.Seeded;

/** SIGTERM during a pass: the pass stops after its current batch, reports it, and the service exits cleanly. */
class GracefulShutdownIT {

    @Test
    void sigtermStopsThePassAfterTheCurrentBatch() throws Exception {
        Db.clear();
        Db.seed(100_000, "p-", Seeded.PURGEABLE);
        Db.seed(1_000, "l-", Seeded.LIVE);

        AppProcess replica = AppProcess.start("sigterm", Map.of("CACHEKEEPER_CLEANUP_ENABLED", "false",
                "CACHEKEEPER_CLEANUP_BATCH_SIZE", "20"));
        try {
            new Thread(() -> replica.api().post("/admin/cleanup")).start();
            Poll.until(Duration.ofSeconds(60), "the pass has started purging", () -> Db.count("true") < 95_000);
            long start = System.nanoTime();
            int exit = replica.terminate(Duration.ofSeconds(30));
            long stopMs = (System.nanoTime() - start) / 1_000_000;
            String log = replica.log();
            System.out.printf("stopped in %d ms, exit code %d%n", stopMs, exit);

            Matcher line = Pattern.compile(
                    "cleanup pass manual: purged=(\\d+) .* completed=false error=\"stopped: the service is shutting down\"")
                    .matcher(log);
            assertTrue(line.find(), "no report of a pass stopped by shutdown in the log:\n" + log);
            long purged = Long.parseLong(line.group(1));
            // Whole batches only: the report matches the table exactly, nothing half done.
            assertEquals(101_000 - purged, Db.count("true"));
            assertTrue(Db.count("true") > 1_000, "the pass ran to its end instead of stopping");
            assertEquals(1_000, Db.count("cache_key LIKE 'l-%'"));
            assertFalse(log.contains("ERROR"), "errors during shutdown:\n" + log);
            assertTrue(exit == 0 || exit == 143, "unclean exit " + exit + ":\n" + log);
        } finally {
            replica.close();
        }
    }
}
