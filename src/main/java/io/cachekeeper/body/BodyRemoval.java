package io.cachekeeper.body;

/**
 * How a statement that deletes entries takes their streamed bodies with them: written once, for every purge
 * path (the heap sweep, the index batches, size-cap eviction). The entries' {@code DELETE} is a data-modifying
 * CTE that returns {@code body_id}; the statement's final aggregate over it passes the ids that are not null to
 * {@code cache_body_remove} (migration V9), in the same statement, hence the same transaction; their chunks
 * follow by the foreign key's cascade. The function is STRICT and the aggregate of a batch without streamed
 * bodies is NULL, so such a batch does no work for bodies at all.
 */
public final class BodyRemoval {

    private BodyRemoval() {
    }

    /**
     * An aggregate for the select list of a query over the CTE rows that {@code DELETE … RETURNING body_id}
     * returned: removes their bodies, and is the number removed (NULL when there were none).
     */
    public static final String REMOVE_BODIES = "cache_body_remove(array_agg(body_id) FILTER (WHERE body_id IS NOT NULL))";

    /**
     * The same on a Citus worker, for a statement on one shard of {@code cache_entry} ({@code cleanup.ShardPurge}):
     * the bodies are removed from {@code bodyShard}, the colocated shard of {@code cache_body} on the same worker
     * (their chunks follow by the shards' own foreign key), by {@link #SHARD_FUNCTION}.
     */
    public static String removeBodiesInShard(String bodyShard) {
        return "cache_body_remove_in_shard('" + bodyShard + "', array_agg(body_id) FILTER (WHERE body_id IS NOT NULL))";
    }

    /**
     * The function {@link #removeBodiesInShard} calls, created on the coordinator and distributed to the workers
     * at start-up with Citus on (a migration would create it on PostgreSQL too, where nothing calls it). STRICT,
     * like {@code cache_body_remove}: a range without streamed bodies does not call it.
     */
    public static final String SHARD_FUNCTION = """
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
            """;

    /**
     * On Citus, through the coordinator (size-cap eviction): a CTE, without a leading comma, removing the bodies
     * of the rows the CTE {@code gone} returned ({@code route, body_id}), by route and id, so each reaches its
     * shard.
     */
    public static final String REMOVE_BODIES_ON_CITUS = """
            bodies_gone AS (
                DELETE FROM cache_body WHERE (route, id) IN (SELECT route, body_id FROM gone WHERE body_id IS NOT NULL))""";
}
