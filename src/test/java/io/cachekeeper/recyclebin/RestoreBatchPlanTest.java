package io.cachekeeper.recyclebin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A bulk restore's batch reads the next rows from the deletion-order index, on the plans the restore's session
 * uses (the catalogue's restore-custom-plans). Its statement has a ":x IS NULL OR …" clause per filter: on a
 * generic plan, the plan PostgreSQL's cache settles on for a connection after a few executions, such a statement
 * read and sorted every match for each batch of 200 (500 ms a batch on 100,000 deleted rows; RecycleBinTest timed
 * out after some test orders).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RestoreBatchPlanTest {

    @Inject
    RecycleBin bin;

    @Inject
    SqlCatalogue catalogue;

    @Test
    void aBatchIsAnIndexScanFromTheCursorOnTheRestoresPlans() throws SQLException {
        Db.clear();
        Db.seed(100_000, "plan-", Seeded.DELETED);
        Db.exec("ANALYZE cache_entry");
        String plan;
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            s.execute(catalogue.get("restore-custom-plans").sql());
            NamedSql batch = bin.restoreBatchStatement("cache_entry");
            // Each parameter's type and value, by name, in the statement's order; the filters not given are NULL.
            Map<String, String[]> parameters = Map.ofEntries(Map.entry("deleted_after",
                    new String[] { "timestamptz", "now() - interval '1 hour'" }),
                    Map.entry("key", new String[] { "text", "NULL" }),
                    Map.entry("url_prefix", new String[] { "text", "NULL" }),
                    Map.entry("deleted_before", new String[] { "timestamptz", "NULL" }),
                    Map.entry("created_after", new String[] { "timestamptz", "NULL" }),
                    Map.entry("created_before", new String[] { "timestamptz", "NULL" }),
                    Map.entry("tags", new String[] { "text[]", "NULL" }),
                    Map.entry("batch_size", new String[] { "bigint", "200" }),
                    Map.entry("now", new String[] { "timestamptz", "now()" }),
                    Map.entry("after_at", new String[] { "timestamptz", "'0001-01-01T00:00:00Z'" }),
                    Map.entry("after_id", new String[] { "uuid", "'00000000-0000-0000-0000-000000000000'" }));
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
