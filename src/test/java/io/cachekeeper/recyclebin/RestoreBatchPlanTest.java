package io.cachekeeper.recyclebin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.NamedSql;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A bulk restore's batch reads the next rows from the deletion-order index on the generic plan too: the
 * plan PostgreSQL's cache settles on for a connection after a few executions. When the statement had a
 * "$n IS NULL OR …" clause per filter, the generic plan read and sorted every match for each batch of
 * 200 (500 ms a batch on 100,000 deleted rows; RecycleBinTest timed out after some test orders).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RestoreBatchPlanTest {

    @Inject
    RecycleBin bin;

    @Test
    void aBatchIsAnIndexScanFromTheCursorEvenOnAGenericPlan() throws SQLException {
        Db.clear();
        Db.seed(100_000, "plan-", Seeded.DELETED);
        Db.exec("ANALYZE cache_entry");
        BinFilter deletedLastHour = new BinFilter(Set.of(), null, null, List.of(), OffsetDateTime.now().minusHours(1),
                null, null, null);
        String plan;
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            NamedSql batch = bin.restoreBatchStatement(deletedLastHour);
            // Each parameter's type and value, by name, in the statement's order.
            Map<String, String[]> parameters = Map.of("deleted_after",
                    new String[] { "timestamptz", "now() - interval '1 hour'" },
                    "batch_size", new String[] { "bigint", "200" },
                    "now", new String[] { "timestamptz", "now()" },
                    "after_at", new String[] { "timestamptz", "'0001-01-01T00:00:00Z'" },
                    "after_id", new String[] { "uuid", "'00000000-0000-0000-0000-000000000000'" });
            s.execute("PREPARE batch(" + String.join(", ", batch.names().stream().map(n -> parameters.get(n)[0]).toList())
                    + ") AS " + batch.sql());
            StringBuilder text = new StringBuilder();
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE batch("
                    + String.join(", ", batch.names().stream().map(n -> parameters.get(n)[1]).toList()) + ")")) {
                while (rs.next()) {
                    text.append(rs.getString(1)).append('\n');
                }
            }
            plan = text.toString();
        }
        assertTrue(plan.contains("Index Scan using cache_entry_purge_deleted_idx"), plan);
        assertFalse(plan.contains("Sort Key: cache_entry.deleted_at"), "a batch sorts every match:\n" + plan);
    }
}
