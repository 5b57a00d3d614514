package io.cachekeeper.citus;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.cleanup.ShardSweep.Shard;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.SqlCatalogue;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The shards of {@code cache_entry} on a Citus cluster, for the work that goes shard by shard to the workers
 * (the purge, the bulk restore) rather than through the coordinator: a statement through the coordinator
 * that is not routed by {@code route} reaches all shards at once, and Citus runs neither {@code FOR UPDATE}
 * nor ctid conditions there.
 */
@ApplicationScoped
public class EntryShards {

    private final Database database;
    private final NamedSql shards;

    public EntryShards(Database database, SqlCatalogue catalogue) {
        this.database = database;
        this.shards = catalogue.get("entry-shards");
    }

    /** Every shard, in shard id order. */
    public Uni<List<Shard>> list() {
        return database.execute(shards).map(rows -> {
            List<Shard> shards = new ArrayList<>();
            for (Row row : rows) {
                shards.add(new Shard(row.getLong("shardid"), row.getString("name"), row.getString("body_name"),
                        row.getString("nodename"), row.getInteger("nodeport")));
            }
            return shards;
        });
    }
}
