-- cache_id_route (V11) read the id's first 32 bits through its text form (uuid to text, replace, left,
-- bit(32)): ~0.5 µs a row, on every row the purge deletes on Citus (ShardPurge asks it of each one).
-- The same number from the id's bytes costs about a third of that (docs/performance.md, "Citus"). Held to
-- entry/Route's rule by RouteTest, as before.
CREATE OR REPLACE FUNCTION cache_id_route(id uuid) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (get_byte(uuid_send(id), 0) << 24) | (get_byte(uuid_send(id), 1) << 16)
           | (get_byte(uuid_send(id), 2) << 8) | get_byte(uuid_send(id), 3) $$;
