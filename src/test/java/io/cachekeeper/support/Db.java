package io.cachekeeper.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Direct SQL on the test database, as an operator would: seed rows, back-date timestamps, count.
 * Tests use it to set the scene without sleeping and to check what really is in the table.
 */
public final class Db {

    private Db() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(PostgresResource.jdbcUrl(), "postgres", "postgres");
    }

    public static int exec(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long count(String where) {
        return queryLong("SELECT count(*) FROM cache_entry WHERE " + where);
    }

    public static long queryLong(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Waits until every session has published its activity statistics: an idle backend publishes what it
     * counted within PostgreSQL's idle interval (10 s), and tests read the counters only after that.
     */
    public static void awaitStatistics() {
        try {
            Thread.sleep(11_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The database clock now (the one every state is judged by). */
    public static java.time.Instant now() {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String CHECKSUM = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '')"
            + " FROM cache_entry t";

    /** The whole table in one value: its row count and a digest of every row, in id order. */
    public static String tableChecksum() {
        return queryString(CHECKSUM);
    }

    /** {@link #tableChecksum()} on a connection the caller holds (for many in a row). */
    public static String tableChecksum(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(CHECKSUM)) {
            rs.next();
            return rs.getString(1);
        }
    }

    public static String queryString(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static boolean migrated;

    /** Empties the table; in a JVM without a Quarkus app (the ITs) first applies the migrations. */
    public static synchronized void clear() {
        if (!migrated) {
            org.flywaydb.core.Flyway.configure()
                    .dataSource(PostgresResource.jdbcUrl(), "postgres", "postgres")
                    .locations("classpath:db/migration")
                    .load().migrate();
            migrated = true;
        }
        exec(CitusCluster.requested() ? "TRUNCATE cache_entry, cache_entry_id, cache_body, cache_body_chunk"
                : "TRUNCATE cache_entry, cache_body, cache_body_chunk");
    }

    /** Seeds {@code n} rows directly (fast, server-side) in {@code state}, over 50 keys starting with {@code keyPrefix}. */
    public static void seed(int n, String keyPrefix, Seeded state) {
        exec("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status,"
                + " response_body, created_at, deleted_at, expires_at)"
                + " SELECT gen_random_uuid(), '" + keyPrefix + "' || (i % 50), 'GET', 'https://example.com/' || i, 200,"
                + " convert_to(repeat('x', 100), 'UTF8'), now() - interval '3 days', " + state.deletedAt + ", "
                + state.expiresAt + " FROM generate_series(1, " + n + ") AS i");
    }
}
