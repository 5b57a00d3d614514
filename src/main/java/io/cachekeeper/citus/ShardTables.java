package io.cachekeeper.citus;

import java.util.function.BiFunction;

import io.cachekeeper.database.WorkerPools;
import io.cachekeeper.entry.EntryTables;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The entries on Citus, shard by shard: each shard's own table on the worker that holds it, one after the other, so
 * that a batch reads one shard's index from where the last one left off (through the coordinator, every batch read
 * and sorted the matches of all shards, and Citus runs no {@code FOR UPDATE} there). Its sessions commit durably:
 * their changes are told to a client.
 */
final class ShardTables implements EntryTables {

    private final EntryShards shards;
    private final WorkerPools workers;

    ShardTables(EntryShards shards, WorkerPools workers) {
        this.shards = shards;
        this.workers = workers;
    }

    @Override
    public Uni<Void> forEach(BiFunction<String, SqlConnection, Uni<Void>> work) {
        return shards.list().chain(list -> Multi.createFrom().iterable(list)
                .onItem().transformToUniAndConcatenate(shard -> workers.durable(shard.host(), shard.port())
                        .withConnection(connection -> work.apply(shard.table(), connection)))
                .collect().last().replaceWithVoid());
    }
}
