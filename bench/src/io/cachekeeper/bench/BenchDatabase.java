package io.cachekeeper.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database under benchmark: BENCH_JDBC_URL (+ BENCH_DB_USER / BENCH_DB_PASSWORD) if set, else an
 * embedded PostgreSQL with durable settings (fsync and synchronous_commit on, as a real server).
 */
final class BenchDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    final String jdbcUrl;
    final String user;
    final String password;

    BenchDatabase() throws IOException {
        String url = System.getenv("BENCH_JDBC_URL");
        if (url != null) {
            embedded = null;
            jdbcUrl = url;
            user = System.getenv().getOrDefault("BENCH_DB_USER", "postgres");
            password = System.getenv().getOrDefault("BENCH_DB_PASSWORD", "postgres");
        } else {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("max_connections", "100")
                    // The API section reads the service's statements: counts, and their full text.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("track_activity_query_size", "16384")
                    .start();
            jdbcUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres";
            user = "postgres";
            password = "postgres";
        }
        Flyway.configure().dataSource(jdbcUrl, user, password).load().migrate();
    }

    /** Another database, named by its JDBC URL (the Citus section's coordinator), with the service's migrations. */
    BenchDatabase(String url) {
        embedded = null;
        jdbcUrl = url;
        user = System.getenv().getOrDefault("BENCH_DB_USER", "postgres");
        password = System.getenv().getOrDefault("BENCH_DB_PASSWORD", "postgres");
        Flyway.configure().dataSource(jdbcUrl, user, password).load().migrate();
    }

    String reactiveUrl() {
        return jdbcUrl.substring("jdbc:".length());
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The largest WAL record types between two LSNs (pg_walinspect, PostgreSQL 15+): count and MB each. */
    String walByRecordType(String from, String to) throws SQLException {
        exec("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
        StringBuilder out = new StringBuilder();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT \"resource_manager/record_type\", count, combined_size, fpi_size FROM pg_get_wal_stats('"
                                + from + "', '" + to + "', true) WHERE count > 0 ORDER BY combined_size DESC LIMIT 5")) {
            while (rs.next()) {
                out.append(String.format("%s%s %,d records %,.1f MB (FPI %,.1f MB)", out.length() == 0 ? "" : "; ",
                        rs.getString(1), rs.getLong(2), rs.getLong(3) / 1e6, rs.getLong(4) / 1e6));
            }
        }
        return out.toString();
    }

    /** The postmaster's pid: the parent of a backend, read while that backend's connection is still open. */
    long postmasterPid() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return CpuTime.parent(rs.getLong(1));
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String queryString(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    String version() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Empties the table and seeds {@code rows} entries with ~600-byte bodies over 50,000 keys:
     * 30% soft-deleted past grace, 30% TTL-expired, 40% live. Returns the eligible count.
     */
    long seed(String table, int rows) throws SQLException {
        return seed(table, rows, "i % 10 < 3", "i % 10 BETWEEN 3 AND 5");
    }

    /** As {@link #seed}, but sparse: 1% soft-deleted past grace, 1% TTL-expired, 98% live. */
    long seedSparse(String table, int rows) throws SQLException {
        return seed(table, rows, "i % 100 = 0", "i % 100 = 1");
    }

    /**
     * Rows where {@code deleted} holds are soft-deleted past grace, where {@code expired} holds expired.
     * With {@code BENCH_SEED_TAGS=true} every row carries three tags (a product, a page, a shop), as a
     * tagged store's rows would.
     */
    private long seed(String table, int rows, String deleted, String expired) throws SQLException {
        boolean tagged = Boolean.parseBoolean(System.getenv().getOrDefault("BENCH_SEED_TAGS", "false"));
        exec("TRUNCATE " + table);
        exec("INSERT INTO " + table + " (id, cache_key, request_method, request_url, request_headers,"
                + " response_status, response_headers, response_body, metadata, ttl_seconds, created_at, expires_at, deleted_at,"
                + " tags)"
                + " SELECT gen_random_uuid(), 'GET https://example.com/k' || (i % 50000), 'GET', 'https://example.com/' || i,"
                + " '{\"accept\":[\"text/html\"]}', 200, '{\"content-type\":[\"text/html\"]}',"
                + " decode(repeat(md5(i::text), 38), 'hex'), '{}',"
                + " CASE WHEN " + expired + " THEN 3600 END,"
                + " now() - interval '3 days',"
                + " CASE WHEN " + expired + " THEN now() - interval '1 day' END,"
                + " CASE WHEN " + deleted + " THEN now() - interval '2 days' END,"
                + (tagged ? " ARRAY['product-' || (i % 1000), 'page-' || (i % 97), 'shop']" : " NULL")
                + " FROM generate_series(1, " + rows + ") AS i");
        exec("VACUUM ANALYZE " + table);
        exec("CHECKPOINT");
        return queryLong("SELECT count(*) FROM " + table + " WHERE deleted_at IS NOT NULL OR expires_at <= now()");
    }

    /** Empties the table and seeds {@code rows} live entries (no TTL) over 50,000 keys, ~600-byte bodies. */
    void seedLive(String table, int rows) throws SQLException {
        seed(table, rows, "false", "false");
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
