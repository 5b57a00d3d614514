package io.cachekeeper.citus;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.database.Database;
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

    /**
     * Every shard of {@code cache_entry}: its id, its table, the colocated shard of {@code cache_body} (the one of
     * the same hash range) and the worker that holds both. Metadata of the coordinator only: a shard's size is
     * read on its worker when the work reaches it; read here for all shards at once
     * ({@code run_command_on_shards}), it took a third of a second of every pass (docs/performance.md).
     */
    private static final String SHARDS = """
            SELECT e.shardid, shard_name('cache_entry'::regclass, e.shardid) AS name,
                   shard_name('cache_body'::regclass, b.shardid) AS body_name, nodename, nodeport
            FROM pg_dist_shard e
                 JOIN pg_dist_shard b ON b.logicalrelid = 'cache_body'::regclass AND b.shardminvalue = e.shardminvalue
                 JOIN pg_dist_placement p ON p.shardid = e.shardid
                 JOIN pg_dist_node USING (groupid)
            WHERE e.logicalrelid = 'cache_entry'::regclass
            ORDER BY e.shardid
            """;

    private final Database database;

    public EntryShards(Database database) {
        this.database = database;
    }

    /** Every shard, in shard id order. */
    public Uni<List<Shard>> list() {
        return database.execute(SHARDS).map(rows -> {
            List<Shard> shards = new ArrayList<>();
            for (Row row : rows) {
                shards.add(new Shard(row.getLong("shardid"), row.getString("name"), row.getString("body_name"),
                        row.getString("nodename"), row.getInteger("nodeport")));
            }
            return shards;
        });
    }

    /**
     * A shard of {@code cache_entry}: its id, its table's name, the name of the colocated shard of
     * {@code cache_body} and the worker that holds both.
     */
    public record Shard(long id, String table, String bodyTable, String host, int port) {
    }
}
