package io.cachekeeper.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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
     * Makes every session's activity statistics visible to the next read of {@code pg_stat_*}. A backend keeps
     * its counts to itself until it has been idle for a while (up to 10 s) or exits, and
     * {@code pg_stat_force_next_flush()} only reaches the caller's own session; so every other client
     * session (the service's pooled ones, the test's closing ones) is ended, and this returns once they are
     * all gone: a backend publishes its counts as it exits. The service's pool opens new sessions as it needs
     * them, and never lets a call fail on one that was closed (database/ClosedInPoolException).
     */
    public static void publishStatistics() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<Integer> ended = new ArrayList<>();
            // In the select list, which is evaluated only for the rows the WHERE kept: never this session.
            try (ResultSet rs = s.executeQuery("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    ended.add(rs.getInt(1));
                }
            }
            String left = "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY ('{"
                    + ended.stream().map(String::valueOf).collect(Collectors.joining(",")) + "}'::int[])";
            Poll.until(Duration.ofSeconds(10), "the ended sessions have exited", () -> {
                try (ResultSet rs = s.executeQuery(left)) {
                    rs.next();
                    return rs.getLong(1) == 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(left, e);
                }
            });
        } catch (SQLException e) {
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
        seed(n, keyPrefix, state, false);
    }

    /**
     * As {@link #seed(int, String, Seeded)}; {@code clientIds}: random ids, as a client may choose them, with their id
     * map rows on Citus, instead of ids that name their key's route as the service makes them (entry/Route).
     */
    public static void seed(int n, String keyPrefix, Seeded state, boolean clientIds) {
        String key = "'" + keyPrefix + "' || (i % 50)";
        exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status,"
                + " response_body, created_at, deleted_at, expires_at)"
                + " SELECT " + (clientIds ? "gen_random_uuid()" : routedId(key)) + ", cache_route(" + key + "), " + key
                + ", 'GET', 'https://example.com/' || i, 200,"
                + " convert_to(repeat('x', 100), 'UTF8'), now() - interval '3 days', " + state.deletedAt + ", "
                + state.expiresAt + " FROM generate_series(1, " + n + ") AS i");
        if (clientIds && CitusCluster.requested()) {
            exec("INSERT INTO cache_entry_id (id, cache_key) SELECT id, cache_key FROM cache_entry"
                    + " WHERE starts_with(cache_key, '" + keyPrefix + "') AND cache_id_route(id) <> route");
        }
    }

    /** SQL for a new id that names the route of the key {@code keyExpression}, as the service makes them (entry/Route). */
    public static String routedId(String keyExpression) {
        return "(lpad(to_hex(cache_route(" + keyExpression + ")), 8, '0') || substr(md5(random()::text), 9))::uuid";
    }
}
