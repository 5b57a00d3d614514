-- The bodies of the entries a purge batch, a heap-sweep range or an eviction batch deletes are removed in the
-- same statement (body.BodyRemoval): the statement's final aggregate passes their ids to this function. It is
-- STRICT, and the aggregate of a batch without streamed bodies is NULL, so such a batch (the common case) never
-- calls it: the data-modifying CTE it replaces (V8's first form) set up a DELETE on cache_body at every batch,
-- bodies or not. The chunks follow by cache_body_chunk's ON DELETE CASCADE.
CREATE FUNCTION cache_body_remove(ids uuid[]) RETURNS bigint
LANGUAGE sql STRICT VOLATILE AS $$
    WITH removed AS (DELETE FROM cache_body WHERE id = ANY(ids) RETURNING 1)
    SELECT count(*) FROM removed
$$;
