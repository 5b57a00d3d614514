package io.cachekeeper.citus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.cachekeeper.cleanup.ShardSweep;
import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.database.WorkerPools;
import io.cachekeeper.entry.EntryTables;
import io.cachekeeper.entry.IdPlacement;
import io.cachekeeper.entry.Lifecycle;
import io.cachekeeper.entry.OneEntryTable;
import io.cachekeeper.entry.OneTablePlacement;

/**
 * Where the choice between a plain PostgreSQL store and a Citus cluster is made, once, when the service starts: the
 * SQL catalogue's {@code @citus} forms or its plain ones, how a row is found by its id, which tables a job that
 * goes table by table visits, and whether a pass sweeps shards. Nothing that runs a request or a batch asks which it got.
 */
@ApplicationScoped
public class Placements {

    /** The variant of the catalogue's statements written for Citus. */
    public static final String CITUS = "citus";

    @Produces
    @Singleton
    SqlCatalogue catalogue(CachekeeperConfig config) {
        return SqlCatalogue.load(config.citus().enabled() ? CITUS : null, Lifecycle.catalogueSettings(config));
    }

    @Produces
    @Singleton
    IdPlacement placement(CachekeeperConfig config, Database database, SqlCatalogue catalogue) {
        return config.citus().enabled() ? new IdMapPlacement(database, catalogue) : new OneTablePlacement(database, catalogue);
    }

    @Produces
    @Singleton
    ShardSweep shardSweep(CachekeeperConfig config, Database database, SqlCatalogue catalogue, EntryShards shards,
            WorkerPools workers) {
        return config.citus().enabled() ? new ShardPurge(database, catalogue, shards, workers) : ShardSweep.NONE;
    }

    @Produces
    @Singleton
    EntryTables tables(CachekeeperConfig config, Database database, EntryShards shards, WorkerPools workers) {
        return config.citus().enabled() ? new ShardTables(shards, workers) : new OneEntryTable(database);
    }
}
