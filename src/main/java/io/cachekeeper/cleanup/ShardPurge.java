package io.cachekeeper.cleanup;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.database.Database;
import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The purge on Citus, shard by shard. Through the coordinator, Citus refuses the other paths' shapes (FOR
 * UPDATE, ctid) on a distributed table, and a statement over the whole table would lock rows on every
 * shard at once. So the batch runs on the worker that holds the shard, as a function distributed with
 * {@code cache_entry} ({@link #FUNCTION}): called with a key of the shard (its anchor), Citus sends the
 * call there, and the function deletes from that shard's own table with the index path's statement
 * ({@code FOR UPDATE SKIP LOCKED}, then by ctid): the same promises (a restore that commits first wins, a
 * row another pass holds is left to it). It returns the ids it deleted, whose id map rows the pass removes
 * later, many batches at once ({@link #unmap}). Up to {@code batch-size} rows per call, deleted rows first, then expired ones,
 * judged at
 * the coordinator's clock read once at the start of the pass (rows that become eligible later wait for
 * the next pass).
 */
@ApplicationScoped
public class ShardPurge {

    static final String FUNCTION = "cache_entry_purge_shard";

    /**
     * One key per shard of {@code cache_entry}: the least of some generated keys that Citus places in it
     * (64 candidates per shard leave a shard without one with a chance of about e^-64). $1 none.
     */
    private static final String ANCHORS = """
            WITH shards AS (SELECT count(*) AS n FROM pg_dist_shard WHERE logicalrelid = 'cache_entry'::regclass)
            SELECT min(k) AS anchor, (SELECT n FROM shards) AS shards
            FROM (SELECT 'shard-' || i AS k FROM generate_series(1, 64 * (SELECT n FROM shards)) i) candidates
            GROUP BY get_shard_id_for_distribution_column('cache_entry', k)
            ORDER BY 1
            """;
    /** $1 anchor, $2 batch size, $3 the pass's clock. */
    private static final String BATCH = "SELECT " + FUNCTION + "($1, $2, $3) AS purged";

    static final String UNMAP_FUNCTION = "cache_entry_unmap_shard";
    /**
     * The ids ($1) grouped by the id map's shard that holds them, each group with one of its ids as the anchor.
     * A DELETE of them all through the coordinator made every shard of the map look for every id: 32 shards ×
     * 10,000 ids, seconds per call (bench section "citus").
     */
    private static final String BY_MAP_SHARD = """
            SELECT (array_agg(id))[1] AS anchor, array_agg(id) AS ids FROM unnest($1::uuid[]) AS id
            GROUP BY get_shard_id_for_distribution_column('cache_entry_id', id)
            """;
    /** $1 anchor, $2 the ids of its shard. */
    private static final String UNMAP = "SELECT " + UNMAP_FUNCTION + "($1, $2)";

    /** Purged ids a lane collects before it removes their id map rows ({@link #unmap}). */
    static final int UNMAP_EVERY = 10_000;

    private final Database database;

    public ShardPurge(Database database) {
        this.database = database;
    }

    /** The anchors of every shard, and the pass's clock. */
    public Uni<Work> start() {
        return database.query(ANCHORS).chain(rows -> {
            List<String> anchors = new ArrayList<>();
            long shards = 0;
            for (Row row : rows) {
                anchors.add(row.getString("anchor"));
                shards = row.getLong("shards");
            }
            if (anchors.size() != shards) {
                return Uni.createFrom().failure(new IllegalStateException("found keys for " + anchors.size() + " of the "
                        + shards + " shards of cache_entry"));
            }
            return database.query(Lifecycle.NOW).map(now -> new Work(anchors, now.iterator().next().getOffsetDateTime(0)));
        });
    }

    /** The shards to purge and the instant the pass judges at. */
    public record Work(List<String> anchors, OffsetDateTime clock) {
    }

    /** What one batch purged: soft-deleted rows past their grace period, expired rows past stale retention, their ids. */
    public record Purged(long deleted, long expired, List<UUID> ids) {
        long total() {
            return deleted + expired;
        }
    }

    /** One batch on the anchor's shard, its own transaction there. */
    public Uni<Purged> delete(SqlConnection connection, String anchor, int size, OffsetDateTime clock) {
        return database.statement(connection, connection.preparedQuery(BATCH).execute(Tuple.of(anchor, (long) size, clock)))
                .map(rows -> {
                    JsonObject purged = rows.iterator().next().getJsonObject("purged");
                    List<UUID> ids = new ArrayList<>();
                    for (Object id : purged.getJsonArray("ids")) {
                        ids.add(UUID.fromString((String) id));
                    }
                    return new Purged(purged.getLong("deleted"), purged.getLong("expired"), ids);
                });
    }

    /**
     * Removes the id map's rows of purged entries, many batches' worth at once. Not in the batch's own
     * transaction: from a worker, deleting 200 ids spread over every shard of the map took about 100 ms a
     * batch against 2 ms for the batch alone (docs/performance.md). A pass that dies before this leaves the
     * map rows of entries that are gone: harmless (a by-id call finds no row and answers 404; an insert of
     * the id takes the row over, EntryRepository), and small.
     */
    public Uni<Void> unmap(SqlConnection connection, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return database
                .statement(connection, connection.preparedQuery(BY_MAP_SHARD).execute(Tuple.of(ids.toArray(UUID[]::new))))
                .onItem().transformToMulti(groups -> Multi.createFrom().iterable(groups))
                .onItem().transformToUniAndConcatenate(group -> database.statement(connection,
                        connection.preparedQuery(UNMAP)
                                .execute(Tuple.of(group.getUUID("anchor"), group.getArrayOfUUIDs("ids")))))
                .collect().last().replaceWithVoid();
    }

    /**
     * The function and its distribution (run at start-up by {@code CitusSchema}; replicas write the same text
     * as long as they share the cleanup settings). Its conditions are the lifecycle's, at the clock passed in.
     */
    public static List<String> functionDdl(Lifecycle lifecycle) {
        String batch = """
                WITH purged AS (
                    DELETE FROM %1$s WHERE ctid = ANY(ARRAY(
                            SELECT ctid FROM %1$s WHERE @ELIGIBLE LIMIT $1 FOR UPDATE SKIP LOCKED))
                      AND @ELIGIBLE
                    RETURNING id)
                SELECT coalesce(array_agg(id), '{}') FROM purged
                """;
        String body = """
                DECLARE
                    shard text := shard_name('cache_entry'::regclass, get_shard_id_for_distribution_column('cache_entry', anchor));
                    deleted uuid[];
                    expired uuid[] := '{}';
                BEGIN
                    -- As on PostgreSQL: at worst a crash brings back rows that the next pass purges again.
                    PERFORM set_config('synchronous_commit', 'off', true);
                    EXECUTE format($q$@DELETED$q$, shard) INTO deleted USING batch_size, clock;
                    IF cardinality(deleted) < batch_size THEN
                        EXECUTE format($q$@EXPIRED$q$, shard) INTO expired USING batch_size - cardinality(deleted), clock;
                    END IF;
                    RETURN jsonb_build_object('deleted', cardinality(deleted), 'expired', cardinality(expired),
                                              'ids', to_jsonb(deleted || expired));
                END
                """
                .replace("@DELETED", batch.replace("@ELIGIBLE", lifecycle.purgeable("$2")))
                .replace("@EXPIRED", batch.replace("@ELIGIBLE", lifecycle.stale("$2")));
        // Runs on the worker that holds the id map's shard of the anchor: deletes from that shard's own table.
        String unmap = """
                BEGIN
                    PERFORM set_config('synchronous_commit', 'off', true);
                    EXECUTE format('DELETE FROM %s WHERE id = ANY($1)',
                                   shard_name('cache_entry_id'::regclass, get_shard_id_for_distribution_column('cache_entry_id', anchor)))
                        USING ids;
                END
                """;
        return List.of(
                "CREATE OR REPLACE FUNCTION " + UNMAP_FUNCTION
                        + "(anchor uuid, ids uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$"
                        + unmap + "$fn$",
                "SELECT create_distributed_function('" + UNMAP_FUNCTION + "(uuid,uuid[])', 'anchor',"
                        + " colocate_with => 'cache_entry_id')",
                "CREATE OR REPLACE FUNCTION " + FUNCTION + "(anchor text, batch_size bigint, clock timestamptz)"
                        + " RETURNS jsonb LANGUAGE plpgsql AS $fn$" + body + "$fn$",
                "SELECT create_distributed_function('" + FUNCTION + "(text,bigint,timestamptz)', 'anchor',"
                        + " colocate_with => 'cache_entry')");
    }
}
