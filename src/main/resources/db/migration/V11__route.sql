-- An entry's route: a 32-bit number of its cache key, the column Citus distributes the store by
-- (docs/scale.md). The ids the service gives new entries start with the route of their key
-- (entry/Route), so that on Citus a by-id call finds the entry's shard from the id alone, and the id map
-- (cache_entry_id) holds only the ids that do not: ids a client chose, entries moved to another key.
-- Both functions are the rules of entry/Route, held to them by RouteTest. On PostgreSQL the column is
-- written and never read; a store distributed later has its older rows' routes filled then (citus/CitusSchema).
CREATE FUNCTION cache_route(cache_key text) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ('x' || left(md5(cache_key), 8))::bit(32)::int $$;

CREATE FUNCTION cache_id_route(id uuid) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ('x' || left(replace(id::text, '-', ''), 8))::bit(32)::int $$;

ALTER TABLE cache_entry ADD COLUMN route int;
ALTER TABLE cache_body ADD COLUMN route int;
ALTER TABLE cache_body_chunk ADD COLUMN route int;
