package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The migrations' partial indexes state lifecycle rules in their predicates, written apart from the SQL catalogue's
 * statements: PostgreSQL uses such an index only for a query whose condition implies its predicate. So each index,
 * alone on the table, is asked for by the catalogue's own statements it serves, on their generic plans; a rule
 * changed on one side only leaves the planner without the index, and this fails.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LifecyclePartialIndexesTest {

    @Inject
    SqlCatalogue catalogue;

    @Test
    void everyPartialIndexServesTheLifecycleConditionsItIsFor() throws Exception {
        servedBy("cache_entry_purge_deleted_idx", "purge-batch-deleted");
        servedBy("cache_entry_purge_deleted_idx", "purge-count-deleted");
        servedBy("cache_entry_purge_deleted_idx", "deletions-per-hour");
        servedBy("cache_entry_purge_expired_idx", "purge-batch-expired");
        servedBy("cache_entry_purge_expired_idx", "purge-count-expired");
        servedBy("cache_entry_url_prefix_idx", "entries-invalidate-url-prefix");
        servedBy("cache_entry_url_prefix_idx", "entries-invalidate-url-prefix-unbounded");
    }

    private void servedBy(String index, String statement) throws Exception {
        usesIndex(index, "(GENERIC_PLAN) " + catalogue.get(statement).sql());
    }

    /**
     * Whether PostgreSQL may serve {@code query} with {@code index}: asked with every other index of the table
     * dropped inside a transaction that is rolled back (DDL is transactional), and sequential scans off, so
     * that the plan shows the index if and only if the query's condition implies its predicate.
     */
    private static void usesIndex(String index, String query) throws Exception {
        StringBuilder plan = new StringBuilder();
        // The simple query protocol: a statement's $n stay in the EXPLAIN's text (a generic plan).
        Properties simple = new Properties();
        simple.setProperty("user", "postgres");
        simple.setProperty("password", "postgres");
        simple.setProperty("preferQueryMode", "simple");
        try (Connection c = DriverManager.getConnection(PostgresResource.jdbcUrl(), simple);
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            List<String> others = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT indexrelid::regclass::text FROM pg_index i"
                    + " WHERE indrelid = 'cache_entry'::regclass AND indexrelid <> '" + index + "'::regclass"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)")) {
                while (r.next()) {
                    others.add(r.getString(1));
                }
            }
            for (String other : others) {
                s.execute("DROP INDEX " + other);
            }
            s.execute("SET LOCAL enable_seqscan = off");
            try (ResultSet r = s.executeQuery("EXPLAIN " + query)) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            c.rollback();
        }
        assertTrue(plan.toString().contains(index), index + " for " + query + ":\n" + plan);
    }
}
