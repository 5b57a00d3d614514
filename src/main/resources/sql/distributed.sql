-- Statements that only a Citus cluster runs (citus/, cleanup/ShardPurge): the id map, which holds the ids that do
-- not name their entry's route (docs/scale.md), and the purge shard by shard on the workers. Each has only its
-- @citus form: the catalogue of a plain PostgreSQL store does not hold them. The entries' own statements, their
-- move to another key's shard among them, are in entries.sql, so that a column of an entry is written in one file.

-- name: id-map-lock @citus
-- A client's id is claimed under this lock (class "ckid", the id's hash), so that two claims of one id, or a claim
-- and a move, take turns.
SELECT pg_advisory_xact_lock(:lock_class::int, hashtext(:id::uuid::text));

-- name: id-map-locate @citus
-- The key whose route holds the entry :id, when the id map holds it.
SELECT cache_key FROM cache_entry_id WHERE id = :id;

-- name: id-map-add @citus
-- The map's row for an entry of a client's id; empty when the map holds the id.
INSERT INTO cache_entry_id (id, cache_key) VALUES (:id, :cache_key) ON CONFLICT DO NOTHING RETURNING id;

-- name: id-map-point @citus
-- The map's row of :id pointed at :cache_key, made if need be.
INSERT INTO cache_entry_id (id, cache_key) VALUES (:id, :cache_key) ON CONFLICT (id) DO UPDATE SET cache_key = :cache_key;

-- name: id-map-remove @citus
DELETE FROM cache_entry_id WHERE id = :id;

-- name: entry-in-id-route @citus
-- A row of :id in the route the id names: where an entry whose id names its route lives, unmapped.
SELECT 1 FROM cache_entry WHERE route = cache_id_route(:id) AND id = :id;

-- name: entry-under-key @citus
-- A row of :id under :cache_key: a take-over's check, without the body.
SELECT 1 FROM cache_entry WHERE id = :id AND route = cache_route(:cache_key);

-- name: entry-shards @citus
-- Every shard of cache_entry: its id, its table, the colocated shard of cache_body (the one of the same hash
-- range) and the worker that holds both. Metadata of the coordinator only: read for all shards at once with
-- run_command_on_shards, the shards' sizes took a third of a second of every pass (docs/performance.md).
SELECT e.shardid, shard_name('cache_entry'::regclass, e.shardid) AS name,
       shard_name('cache_body'::regclass, b.shardid) AS body_name, nodename, nodeport
FROM pg_dist_shard e
     JOIN pg_dist_shard b ON b.logicalrelid = 'cache_body'::regclass AND b.shardminvalue = e.shardminvalue
     JOIN pg_dist_placement p ON p.shardid = e.shardid
     JOIN pg_dist_node USING (groupid)
WHERE e.logicalrelid = 'cache_entry'::regclass
ORDER BY e.shardid;

-- name: id-map-shards @citus
-- The id map's shards by the least hash value each holds, with their tables and workers: the range DELETE returns
-- worker_hash(id) of each id it deleted, so that the pass groups the ids by map shard itself and deletes each
-- group on its worker (grouping them on the coordinator cost milliseconds per range, docs/performance.md).
SELECT shardminvalue::int AS min, shard_name('cache_entry_id'::regclass, shardid) AS name, nodename, nodeport
FROM pg_dist_shard JOIN pg_dist_placement USING (shardid) JOIN pg_dist_node USING (groupid)
WHERE logicalrelid = 'cache_entry_id'::regclass
ORDER BY 1;

-- name: id-map-shard-remove @citus
-- The ids of one map shard, deleted on its worker from the shard's own table.
DELETE FROM :"id_map_shard" WHERE id = ANY(:ids::uuid[]);

-- name: shard-purge-clock @citus
-- The coordinator's clock, which the pass judges by, and its page size (a build-time constant of PostgreSQL: a
-- cluster's servers share it).
SELECT now() AS now, current_setting('block_size')::int AS block_size;

-- name: shard-pages @citus
-- A shard's table's pages now, on its worker (the sweep's end: pages added later hold rows written after the
-- pass's start).
SELECT pg_relation_size(:shard::regclass) / current_setting('block_size')::bigint AS pages;

-- name: shard-claim @citus
-- The shard's lock (:lock_class, :shard_id) if nobody holds it; the lane's previous shard (:held, -1 for none) let
-- go of, on the coordinator session: replicas connect to the same coordinator.
SELECT CASE WHEN :held::int >= 0 THEN pg_advisory_unlock(:lock_class::int, :held::int) END AS released,
       pg_try_advisory_lock(:lock_class::int, :shard_id::int) AS mine;

-- name: shard-release @citus
SELECT pg_advisory_unlock(:lock_class::int, :shard_id::int);

-- name: shard-sweep-end @citus
-- What a sweep leaves on its coordinator session: no shard lock.
SELECT pg_advisory_unlock_all();

-- name: shard-range @citus
-- One TID range of a shard's own table (:"entry_shard"), run on the worker that holds it, judged at the pass's
-- :clock: sweep-range's DELETE, with the ids it deleted that the id map holds (those that do not name their
-- route, entry/Route) and their hashes (which tell their map shard), and their streamed bodies removed from the
-- colocated body shard (:body_shard) on the same worker by cache_body_remove_in_shard.
WITH gone AS (
    DELETE FROM :"entry_shard"
    WHERE ctid >= :from_tid::text::tid AND ctid < :to_tid::text::tid
      AND (deleted_at <= :clock::timestamptz - :'grace_period'::interval
           OR deleted_at IS NULL AND expires_at <= :clock::timestamptz - :'stale_retention'::interval)
    RETURNING id, deleted_at IS NOT NULL AS soft, body_id, cache_id_route(id) <> route AS mapped)
SELECT CASE WHEN count(*) > :batch_size::bigint THEN cache_entry_purge_cap(count(*), :batch_size::bigint)
            ELSE count(*) END AS purged,
       count(*) FILTER (WHERE soft) AS purged_deleted,
       coalesce(array_agg(id) FILTER (WHERE mapped), '{}') AS ids,
       coalesce(array_agg(worker_hash(id)) FILTER (WHERE mapped), '{}') AS hashes,
       cache_body_remove_in_shard(:body_shard::regclass, array_agg(body_id) FILTER (WHERE body_id IS NOT NULL))
           AS removed_bodies
FROM gone;
