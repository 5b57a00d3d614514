package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.NamedSql;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The key lookup's statements, run as the service runs them, measured with PostgreSQL's own counters for
 * the backend ({@code pg_stat_get_xact_blocks_fetched}): the first step reads no body over its share
 * from TOAST, and the capped statement never reads the bodies past the page's byte cap, although the cap
 * is applied in the same scan that reads the rows.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeyLookupStatementTest {

    private static final String KEY = "GET https://example.com/large";
    private static final int MIB = 1024 * 1024;

    @Inject
    EntryRepository repository;

    @Test
    void bodiesPastTheByteCapAreNotReadFromToast() throws SQLException {
        Db.clear();
        // Five 6 MiB bodies that do not compress: 16 MiB of cap takes three of them.
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body,"
                + " created_at) SELECT gen_random_uuid(), cache_route('" + KEY + "'), '" + KEY
                + "', 'GET', 'https://example.com/large', 200,"
                + " (SELECT string_agg(decode(md5(i::text || ':' || j), 'hex'), '') FROM generate_series(1, 6 * " + MIB
                + " / 16) AS j), timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, 5) AS i");
        KeyQuery query = new KeyQuery(KEY, false, false, true, 101, null);
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long toast = oneLong(s, "SELECT reltoastrelid::bigint FROM pg_class WHERE relname = 'cache_entry'");
            long oneBody = toastBlocks(s, toast, "SELECT response_body FROM cache_entry WHERE cache_key = '" + KEY
                    + "' ORDER BY created_at LIMIT 1", 1);
            c.commit();
            s.execute("PREPARE first_step AS " + repository.keyLookupStatement(query).sql());
            long firstStep = toastBlocks(s, toast, execute("first_step", repository.keyLookupStatement(query)), 0);
            c.commit();
            s.execute("PREPARE capped AS " + repository.cappedKeyLookupStatement().sql());
            long page = toastBlocks(s, toast, execute("capped", repository.cappedKeyLookupStatement()), 3);
            c.commit();
            assertTrue(oneBody > 500, "a 6 MiB body spans hundreds of TOAST blocks: " + oneBody);
            assertEquals(0, firstStep, "the first step leaves bodies over its share in TOAST");
            assertTrue(page <= 3 * oneBody + 10, "the page read " + page + " TOAST blocks; three bodies are " + 3 * oneBody);
        }
    }

    /** The EXECUTE of the prepared {@code name} with this lookup's values, in the statement's order. */
    private static String execute(String name, NamedSql sql) {
        Map<String, String> values = Map.of("cache_key", "'" + KEY + "'", "limit", "101", "include_deleted", "false",
                "include_expired", "false", "after_created_at", "'0001-01-01T00:00:00Z'",
                "after_id", "'00000000-0000-0000-0000-000000000000'", "page_bytes", String.valueOf(KeyQuery.PAGE_BODY_BYTES));
        return "EXECUTE " + name + "(" + String.join(", ", sql.names().stream().map(values::get).toList()) + ")";
    }

    /**
     * TOAST blocks read (hit or not) by {@code query}; checks it returned {@code rows} rows with bodies. The
     * backend's counters are not reset at commit until they are flushed, so this takes the difference.
     */
    private static long toastBlocks(Statement s, long toast, String query, int rows) throws SQLException {
        long before = oneLong(s, "SELECT pg_stat_get_xact_blocks_fetched(" + toast + ")");
        int seen = 0;
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                byte[] body = rs.getBytes("response_body");
                if (body != null) { // rows past the cap come back without their body
                    assertEquals(6 * MIB, body.length);
                    seen++;
                }
            }
        }
        assertEquals(rows, seen);
        return oneLong(s, "SELECT pg_stat_get_xact_blocks_fetched(" + toast + ")") - before;
    }

    private static long oneLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
