package io.cachekeeper.citus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

import io.cachekeeper.config.CachekeeperConfig;
import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * The store's tables on Citus, right after Flyway's migrations (the same migrations as on PostgreSQL: Citus
 * propagates their DDL to every shard). With {@code cachekeeper.citus.enabled}, the first start distributes
 * {@code cache_entry} by {@code route} (the number of its key, entry/Route), so that a key lookup reaches one
 * shard, and creates the id map {@code cache_entry_id} distributed by {@code id} for the ids that do not name
 * their route, so that a by-id operation reaches one shard of each table (docs/scale.md), the streamed bodies
 * with their entries, and what the purge needs on the workers ({@link #PURGE_FUNCTIONS}).
 * Later starts check that they
 * still are, and stop naming what is wrong. Without it,
 * a start against a distributed store stops too: its statements would reach every shard or be refused.
 *
 * <p>
 * Here rather than in a migration of its own: whether the tables are distributed depends on the setting, and a
 * versioned migration that did one thing or the other would make the history of two stores disagree.
 */
@Singleton
public class CitusSchema implements FlywayConfigurationCustomizer {

    /**
     * What the purge (cleanup/ShardPurge) needs on the workers: V6's cap, distributed so that the range DELETE applies
     * the same rule there, the routes of keys and ids, and the removal of bodies from a shard.
     */
    static final List<String> PURGE_FUNCTIONS = List.of(
            "SELECT create_distributed_function('cache_entry_purge_cap(bigint,bigint)')",
            "SELECT create_distributed_function('cache_id_route(uuid)')",
            "SELECT create_distributed_function('cache_route(text)')",
            // The removal of bodies from a shard of cache_body (sql/distributed.sql, shard-range), created on the
            // coordinator and distributed to the workers. STRICT, like cache_body_remove: a range without streamed
            // bodies does not call it.
            """
                    CREATE OR REPLACE FUNCTION cache_body_remove_in_shard(shard regclass, ids uuid[]) RETURNS bigint
                    LANGUAGE plpgsql STRICT VOLATILE AS $$
                    DECLARE
                        removed bigint;
                    BEGIN
                        EXECUTE format('DELETE FROM %s WHERE id = ANY($1)', shard) USING ids;
                        GET DIAGNOSTICS removed = ROW_COUNT;
                        RETURN removed;
                    END
                    $$
                    """,
            "SELECT create_distributed_function('cache_body_remove_in_shard(regclass,uuid[])')");

    private static final Logger LOG = Logger.getLogger(CitusSchema.class);
    /** Taken for the distribution, so that replicas starting together distribute once (the others then only check). */
    private static final long DISTRIBUTION_LOCK = 0x636b_6369_7475_73L;

    private final boolean enabled;
    private final int shardCount;

    public CitusSchema(CachekeeperConfig config) {
        this.enabled = config.citus().enabled();
        this.shardCount = config.citus().shardCount();
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(new AfterMigrate());
    }

    /** The check (and with Citus on, the distribution) on Flyway's connection, after the migrations. */
    void prepare(Connection c) throws SQLException {
        boolean citusInstalled = exists(c, "SELECT 1 FROM pg_extension WHERE extname = 'citus'");
        if (!enabled) {
            if (citusInstalled && distributionColumn(c, "cache_entry").isPresent()) {
                throw new IllegalStateException("cache_entry is distributed (Citus), but cachekeeper.citus.enabled is false:"
                        + " set CACHEKEEPER_CITUS_ENABLED=true (docs/scale.md)");
            }
            return;
        }
        if (!citusInstalled) {
            throw new IllegalStateException("cachekeeper.citus.enabled is true, but the database has no citus extension:"
                    + " point cachekeeper at a Citus coordinator (docs/scale.md) or set CACHEKEEPER_CITUS_ENABLED=false");
        }
        if (!exists(c, "SELECT 1 WHERE citus_is_coordinator()")) {
            throw new IllegalStateException("cachekeeper.citus.enabled is true, but this database is not the Citus"
                    + " coordinator: point cachekeeper at the coordinator (docs/scale.md)");
        }
        locked(c, () -> {
            if (distributionColumn(c, "cache_entry").isEmpty()) {
                distribute(c);
            }
            if (distributionColumn(c, "cache_body").isEmpty()) {
                distributeBodies(c);
            }
            check(c);
        });
        // A transaction of its own: Citus refuses a function's DDL after the distribution's parallel copy.
        locked(c, () -> {
            try (Statement s = c.createStatement()) {
                for (String ddl : PURGE_FUNCTIONS) {
                    s.execute(ddl);
                }
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** {@code work} in a transaction that holds {@link #DISTRIBUTION_LOCK}. */
    private static void locked(Connection c, Work work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, DISTRIBUTION_LOCK);
                lock.execute();
            }
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * The routes of the rows written before (PostgreSQL writes them, but a key changed there keeps its old one);
     * the primary key and the unique index of bodies take the distribution column (Citus requires it of every
     * unique constraint); ids stay unique across the cluster through the id map's own primary key, which holds
     * the ids that do not name their route (entry/Route).
     */
    private void distribute(Connection c) throws SQLException {
        LOG.infof("Distributing cache_entry by route and its id map by id over %d shards each (Citus)", shardCount);
        try (Statement s = c.createStatement()) {
            s.execute(
                    "UPDATE cache_entry SET route = cache_route(cache_key) WHERE route IS DISTINCT FROM cache_route(cache_key)");
            s.execute("ALTER TABLE cache_entry ALTER COLUMN route SET NOT NULL");
            s.execute("CREATE TABLE IF NOT EXISTS cache_entry_id (id uuid PRIMARY KEY, cache_key text NOT NULL)");
            s.execute("INSERT INTO cache_entry_id (id, cache_key) SELECT id, cache_key FROM cache_entry"
                    + " WHERE cache_id_route(id) <> route ON CONFLICT DO NOTHING");
            s.execute("ALTER TABLE cache_entry DROP CONSTRAINT cache_entry_pkey, ADD PRIMARY KEY (route, id)");
            s.execute("DROP INDEX cache_entry_body_idx");
            s.execute("CREATE UNIQUE INDEX cache_entry_body_idx ON cache_entry (route, body_id) WHERE body_id IS NOT NULL");
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT create_distributed_table('cache_entry', 'route', shard_count => ?)")) {
            s.setInt(1, shardCount);
            s.execute();
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT create_distributed_table('cache_entry_id', 'id', colocate_with => 'none', shard_count => ?)")) {
            s.setInt(1, shardCount);
            s.execute();
        }
    }

    /**
     * The streamed bodies and their chunks (V8, V10), distributed by route and colocated with {@code cache_entry}:
     * a body and its chunks live in the shard of the entry that holds it, so that the purge removes them there,
     * in the range's own statement. Their keys take the distribution column, as the entries' did; the chunks'
     * cascade becomes a foreign key on (route, body), which Citus keeps between colocated shards.
     */
    private static void distributeBodies(Connection c) throws SQLException {
        LOG.info("Distributing cache_body and cache_body_chunk by route, colocated with cache_entry (Citus)");
        try (Statement s = c.createStatement()) {
            for (String table : new String[] { "cache_body", "cache_body_chunk" }) {
                s.execute("UPDATE " + table + " SET route = cache_route(cache_key)"
                        + " WHERE route IS DISTINCT FROM cache_route(cache_key)");
                s.execute("ALTER TABLE " + table + " ALTER COLUMN route SET NOT NULL");
            }
            s.execute("ALTER TABLE cache_body_chunk DROP CONSTRAINT cache_body_chunk_body_id_fkey");
            s.execute("ALTER TABLE cache_body_chunk DROP CONSTRAINT cache_body_chunk_pkey,"
                    + " ADD PRIMARY KEY (route, body_id, seq)");
            s.execute("ALTER TABLE cache_body DROP CONSTRAINT cache_body_pkey, ADD PRIMARY KEY (route, id)");
            s.execute("SELECT create_distributed_table('cache_body', 'route', colocate_with => 'cache_entry')");
            s.execute("SELECT create_distributed_table('cache_body_chunk', 'route', colocate_with => 'cache_entry')");
            s.execute("ALTER TABLE cache_body_chunk ADD CONSTRAINT cache_body_chunk_body_fkey FOREIGN KEY (route, body_id)"
                    + " REFERENCES cache_body (route, id) ON DELETE CASCADE");
        }
    }

    private static void check(Connection c) throws SQLException {
        expect(c, "cache_entry", "route");
        expect(c, "cache_entry_id", "id");
        expect(c, "cache_body", "route");
        expect(c, "cache_body_chunk", "route");
    }

    private static void expect(Connection c, String table, String column) throws SQLException {
        Optional<String> actual = distributionColumn(c, table);
        if (!actual.equals(Optional.of(column))) {
            throw new IllegalStateException(
                    table + " must be distributed by " + column + " for cachekeeper on Citus, but it is "
                            + actual.map(a -> "distributed by " + a).orElse("not distributed")
                            + " (a store an earlier cachekeeper distributed by cache_key is undistributed first: docs/scale.md)");
        }
    }

    /** The column a table is distributed by; empty when it is not distributed (or absent). */
    private static Optional<String> distributionColumn(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT coalesce(column_to_column_name(logicalrelid, partkey), '')
                FROM pg_dist_partition WHERE logicalrelid = to_regclass(?)
                """)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }

    private final class AfterMigrate implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            try {
                prepare(context.getConnection());
            } catch (SQLException e) {
                throw new IllegalStateException("Preparing the store's tables for Citus failed: " + e.getMessage(), e);
            }
        }

        @Override
        public String getCallbackName() {
            return "cachekeeper-citus-schema";
        }
    }
}
