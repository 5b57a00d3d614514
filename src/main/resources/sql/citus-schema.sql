-- The store's tables on Citus, right after Flyway's migrations (citus/CitusSchema, on Flyway's connection). With
-- cachekeeper.citus.enabled the first start distributes them; later starts check that they still are. Without it,
-- a start against a distributed store stops. Each statement has only its @citus form.

-- name: schema-citus-installed @citus
SELECT 1 FROM pg_extension WHERE extname = 'citus';

-- name: schema-is-coordinator @citus
SELECT 1 WHERE citus_is_coordinator();

-- name: schema-distribution-column @citus
-- The column :table is distributed by; no row when it is not distributed (or absent).
SELECT coalesce(column_to_column_name(logicalrelid, partkey), '') AS column_name
FROM pg_dist_partition WHERE logicalrelid = to_regclass(:table);

-- name: schema-lock @citus
-- Taken for the distribution ("ckcitus"), so that replicas starting together distribute once (the others then only
-- check).
SELECT pg_advisory_xact_lock(27984097409529203);

-- name: schema-prepare-entries @citus
-- The routes of the rows written before (PostgreSQL writes them, but a key changed there keeps its old one); the
-- primary key and the unique index of bodies take the distribution column (Citus requires it of every unique
-- constraint); ids stay unique across the cluster through the id map's own primary key, which holds the ids that
-- do not name their route (entry/Route).
UPDATE cache_entry SET route = cache_route(cache_key) WHERE route IS DISTINCT FROM cache_route(cache_key);
ALTER TABLE cache_entry ALTER COLUMN route SET NOT NULL;
CREATE TABLE IF NOT EXISTS cache_entry_id (id uuid PRIMARY KEY, cache_key text NOT NULL);
INSERT INTO cache_entry_id (id, cache_key) SELECT id, cache_key FROM cache_entry
WHERE cache_id_route(id) <> route ON CONFLICT DO NOTHING;
ALTER TABLE cache_entry DROP CONSTRAINT cache_entry_pkey, ADD PRIMARY KEY (route, id);
DROP INDEX cache_entry_body_idx;
CREATE UNIQUE INDEX cache_entry_body_idx ON cache_entry (route, body_id) WHERE body_id IS NOT NULL;

-- name: schema-distribute-entries @citus
SELECT create_distributed_table('cache_entry', 'route', shard_count => :shard_count::int);

-- name: schema-distribute-id-map @citus
SELECT create_distributed_table('cache_entry_id', 'id', colocate_with => 'none', shard_count => :shard_count::int);

-- name: schema-distribute-bodies @citus
-- The streamed bodies and their chunks (V8, V10), distributed by route and colocated with cache_entry: a body and
-- its chunks live in the shard of the entry that holds it, so that the purge removes them there, in the range's own
-- statement. Their keys take the distribution column, as the entries' did; the chunks' cascade becomes a foreign
-- key on (route, body), which Citus keeps between colocated shards.
UPDATE cache_body SET route = cache_route(cache_key) WHERE route IS DISTINCT FROM cache_route(cache_key);
ALTER TABLE cache_body ALTER COLUMN route SET NOT NULL;
UPDATE cache_body_chunk SET route = cache_route(cache_key) WHERE route IS DISTINCT FROM cache_route(cache_key);
ALTER TABLE cache_body_chunk ALTER COLUMN route SET NOT NULL;
ALTER TABLE cache_body_chunk DROP CONSTRAINT cache_body_chunk_body_id_fkey;
ALTER TABLE cache_body_chunk DROP CONSTRAINT cache_body_chunk_pkey, ADD PRIMARY KEY (route, body_id, seq);
ALTER TABLE cache_body DROP CONSTRAINT cache_body_pkey, ADD PRIMARY KEY (route, id);
SELECT create_distributed_table('cache_body', 'route', colocate_with => 'cache_entry');
SELECT create_distributed_table('cache_body_chunk', 'route', colocate_with => 'cache_entry');
ALTER TABLE cache_body_chunk ADD CONSTRAINT cache_body_chunk_body_fkey FOREIGN KEY (route, body_id)
    REFERENCES cache_body (route, id) ON DELETE CASCADE;

-- name: schema-purge-functions @citus
-- What the purge (citus/ShardPurge) needs on the workers: V6's cap, distributed so that the range DELETE applies the
-- same rule there, the routes of keys and ids, and the removal of bodies from a shard of cache_body, created here
-- and distributed (STRICT, like cache_body_remove: a range without streamed bodies does not call it). A
-- transaction of its own: Citus refuses a function's DDL after the distribution's parallel copy.
SELECT create_distributed_function('cache_entry_purge_cap(bigint,bigint)');
SELECT create_distributed_function('cache_id_route(uuid)');
SELECT create_distributed_function('cache_route(text)');
CREATE OR REPLACE FUNCTION cache_body_remove_in_shard(shard regclass, ids uuid[]) RETURNS bigint
LANGUAGE plpgsql STRICT VOLATILE AS $$
DECLARE
    removed bigint;
BEGIN
    EXECUTE format('DELETE FROM %s WHERE id = ANY($1)', shard) USING ids;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;
SELECT create_distributed_function('cache_body_remove_in_shard(regclass,uuid[])');
