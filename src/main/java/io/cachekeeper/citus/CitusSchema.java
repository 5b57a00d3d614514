package io.cachekeeper.citus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jboss.logging.Logger;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.entry.Lifecycle;
import io.quarkus.flyway.FlywayConfigurationCustomizer;

/**
 * The store's tables on Citus, right after Flyway's migrations (the same migrations as on PostgreSQL: Citus
 * propagates their DDL to every shard). With {@code cachekeeper.citus.enabled}, the first start distributes
 * {@code cache_entry} by {@code route} (the number of its key, entry/Route), so that a key lookup reaches one
 * shard, and creates the id map {@code cache_entry_id} distributed by {@code id} for the ids that do not name
 * their route, so that a by-id operation reaches one shard of each table (docs/scale.md), the streamed bodies
 * with their entries, and what the purge needs on the workers (sql/citus-schema.sql).
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

    private static final Logger LOG = Logger.getLogger(CitusSchema.class);
    private final boolean enabled;
    private final int shardCount;
    /** The statements (sql/citus-schema.sql), in their Citus forms whatever the setting: they run only on Citus. */
    private final SqlCatalogue catalogue;

    public CitusSchema(CachekeeperConfig config) {
        this.enabled = config.citus().enabled();
        this.shardCount = config.citus().shardCount();
        this.catalogue = SqlCatalogue.load(Placements.CITUS, Lifecycle.catalogueSettings(config));
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(new AfterMigrate());
    }

    /** The check (and with Citus on, the distribution) on Flyway's connection, after the migrations. */
    void prepare(Connection c) throws SQLException {
        boolean citusInstalled = exists(c, "schema-citus-installed");
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
        if (!exists(c, "schema-is-coordinator")) {
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
        locked(c, () -> run(c, "schema-purge-functions", new Params()));
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** {@code work} in a transaction that holds the distribution's lock ({@code schema-lock}). */
    private void locked(Connection c, Work work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            run(c, "schema-lock", new Params());
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** cache_entry distributed by route, and its id map by id (sql/citus-schema.sql says why each step). */
    private void distribute(Connection c) throws SQLException {
        LOG.infof("Distributing cache_entry by route and its id map by id over %d shards each (Citus)", shardCount);
        run(c, "schema-prepare-entries", new Params());
        run(c, "schema-distribute-entries", new Params().set("shard_count", shardCount));
        run(c, "schema-distribute-id-map", new Params().set("shard_count", shardCount));
    }

    /** The streamed bodies and their chunks, colocated with cache_entry. */
    private void distributeBodies(Connection c) throws SQLException {
        LOG.info("Distributing cache_body and cache_body_chunk by route, colocated with cache_entry (Citus)");
        run(c, "schema-distribute-bodies", new Params());
    }

    private void check(Connection c) throws SQLException {
        expect(c, "cache_entry", "route");
        expect(c, "cache_entry_id", "id");
        expect(c, "cache_body", "route");
        expect(c, "cache_body_chunk", "route");
    }

    private void expect(Connection c, String table, String column) throws SQLException {
        Optional<String> actual = distributionColumn(c, table);
        if (!actual.equals(Optional.of(column))) {
            throw new IllegalStateException(
                    table + " must be distributed by " + column + " for cachekeeper on Citus, but it is "
                            + actual.map(a -> "distributed by " + a).orElse("not distributed")
                            + " (a store an earlier cachekeeper distributed by cache_key is undistributed first: docs/scale.md)");
        }
    }

    /** The column a table is distributed by; empty when it is not distributed (or absent). */
    private Optional<String> distributionColumn(Connection c, String table) throws SQLException {
        NamedSql sql = catalogue.get("schema-distribution-column");
        try (PreparedStatement s = prepared(c, sql, new Params().set("table", table)); ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString("column_name")) : Optional.empty();
        }
    }

    private boolean exists(Connection c, String statement) throws SQLException {
        try (PreparedStatement s = prepared(c, catalogue.get(statement), new Params()); ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    /** Runs a statement of the catalogue (or a script of several, without parameters) on Flyway's connection. */
    private void run(Connection c, String statement, Params params) throws SQLException {
        try (PreparedStatement s = prepared(c, catalogue.get(statement), params)) {
            s.execute();
        }
    }

    private static PreparedStatement prepared(Connection c, NamedSql sql, Params params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql.jdbcSql());
        List<Object> values = sql.jdbcValues(params);
        for (int i = 0; i < values.size(); i++) {
            s.setObject(i + 1, values.get(i));
        }
        return s;
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
