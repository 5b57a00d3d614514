package io.cachekeeper.cleanup;

import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The purge of a store distributed in shards: the heap sweep ({@link HeapSweep}) run shard by shard, each range of a
 * shard on the server that holds it, while the lane's session on the store's front server holds the shard's lock
 * (so that two passes never sweep one shard at once). {@link CleanupPass} runs the protocol; an implementation, chosen
 * when the service starts (the Placements producer), says how each step reaches the shards. A store of one table
 * has none ({@link #NONE}), and its passes take the heap sweep or the index path instead ({@link PurgePlanner}).
 */
public interface ShardSweep {

    /** No shards: the store is one table. */
    ShardSweep NONE = new ShardSweep() {

        @Override
        public boolean sharded() {
            return false;
        }

        @Override
        public Uni<Pass> start() {
            return Uni.createFrom().failure(new IllegalStateException("a store of one table has no shards to sweep"));
        }

        @Override
        public <T> Uni<T> inSweepSession(SqlConnection connection, Uni<T> sweep) {
            return sweep;
        }

        @Override
        public Uni<Boolean> claim(SqlConnection connection, Shard shard, Shard previous) {
            return Uni.createFrom().item(false);
        }

        @Override
        public Uni<Void> release(SqlConnection connection, Shard shard) {
            return Uni.createFrom().voidItem();
        }
    };

    /** Whether the store is distributed in shards: then every pass sweeps them ({@link BatchPath#SHARD}). */
    boolean sharded();

    /** A pass's sweep: every shard, and the instant it judges rows at. */
    Uni<Pass> start();

    /** Runs a lane's sweep on its front-server {@code connection}; at its end, failed or not, it holds no shard's lock. */
    <T> Uni<T> inSweepSession(SqlConnection connection, Uni<T> sweep);

    /** Takes {@code shard}'s lock, letting go of {@code previous}'s (null for none): false if someone else holds it. */
    Uni<Boolean> claim(SqlConnection connection, Shard shard, Shard previous);

    /** Lets go of the lane's last shard (null: none). */
    Uni<Void> release(SqlConnection connection, Shard shard);

    /** One pass's sweep of the shards. */
    interface Pass {

        /** Every shard, in the order the pass found them. */
        List<Shard> shards();

        /** The page size of the store's servers, in bytes (a build-time constant of PostgreSQL: they share it). */
        int blockSize();

        /** Runs {@code work} on a connection to the server that holds {@code shard}, given back after it. */
        <T> Uni<T> onWorker(Shard shard, Function<SqlConnection, Uni<T>> work);

        /** The shard's pages now, on a {@code worker} connection ({@link #onWorker}). */
        Uni<Long> pages(SqlConnection worker, Shard shard);

        /**
         * Deletes the eligible rows of the TID range {@code [fromTid, toTid)} of the shard, on a {@code worker}
         * connection, in its own transaction there, unless they are more than {@code batchSize}.
         */
        Uni<HeapSweep.RangeResult> delete(SqlConnection worker, Shard shard, String fromTid, String toTid, int batchSize);

        /** What the pass leaves to do once its ranges are swept, run at its end, failed or not. */
        Uni<Void> finish();
    }

    /** A shard of the entries: its id, its table, the table of its bodies, and the server that holds both. */
    record Shard(long id, String table, String bodyTable, String host, int port) {
    }
}
