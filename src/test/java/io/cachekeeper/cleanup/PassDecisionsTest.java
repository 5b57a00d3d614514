package io.cachekeeper.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.vertx.core.json.JsonArray;

/** The pass's decisions that need no database: its path, the planner's reading of EXPLAIN, eviction's excess. */
class PassDecisionsTest {

    @ParameterizedTest(name = "{0}, {1} eligible rows over {2} pages: {3}")
    @CsvSource({
            "HEAP,  0,    1000, HEAP",
            "INDEX, 9999, 1000, INDEX",
            // auto: the sweep from one eligible row per page on (PurgePlanner.ROWS_PER_PAGE)
            "AUTO,  999,  1000, INDEX",
            "AUTO,  1000, 1000, HEAP",
            "AUTO,  0,    1,    INDEX",
            "AUTO,  50000, 700, HEAP",
    })
    void thePathOfAPass(Strategy strategy, long eligible, long pages, BatchPath expected) {
        assertEquals(expected, PurgePlanner.path(strategy, eligible, pages));
    }

    @Test
    void thePlannerReadsTheTopNodesRowEstimate() {
        JsonArray explained = new JsonArray("""
                [{"Plan": {"Node Type": "Bitmap Heap Scan", "Plan Rows": 12345,
                           "Plans": [{"Node Type": "BitmapOr", "Plan Rows": 99}]}}]
                """);
        assertEquals(12345, PurgePlanner.planRows(explained));
        assertThrows(IllegalStateException.class, () -> PurgePlanner.planRows(new JsonArray("[{\"Plan\": {}}]")));
    }

    @Test
    void evictionTakesWhatIsOverEitherCapAndNeverBelowZero() {
        CapExcess none = CapExcess.of(100, 10_000, Optional.empty(), Optional.empty());
        assertFalse(none.over(), "uncapped");
        CapExcess under = CapExcess.of(100, 10_000, Optional.of(100L), Optional.of(20_000L));
        assertEquals(new CapExcess(0, 0), under);
        CapExcess over = CapExcess.of(140, 25_000, Optional.of(100L), Optional.of(20_000L));
        assertEquals(new CapExcess(40, 5_000), over);
        assertTrue(over.over());
        CapExcess afterOne = over.after(20, 6_000);
        assertEquals(new CapExcess(20, 0), afterOne, "the bytes are covered; the rows are not yet");
        assertTrue(afterOne.over());
        assertFalse(afterOne.after(25, 100).over());
        assertEquals(new CapExcess(0, 0), afterOne.after(25, 100));
    }
}
