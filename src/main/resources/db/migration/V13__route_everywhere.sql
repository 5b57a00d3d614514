-- Rows written before V11 have no route, and on PostgreSQL it was written and never read (a key changed by an
-- earlier version kept its old one). The statements of the SQL catalogue now name it on PostgreSQL too, so that one
-- statement serves a plain and a distributed store (src/main/resources/sql/entries.sql), and every row gets the
-- route of its key here. A distributed store had them set when it was distributed (citus/CitusSchema), and Citus
-- does not assign its distribution column: there this does nothing.
DO $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'cache_entry'::regclass) THEN
            RETURN;
        END IF;
    END IF;
    UPDATE cache_entry SET route = cache_route(cache_key) WHERE route IS DISTINCT FROM cache_route(cache_key);
    UPDATE cache_body SET route = cache_route(cache_key) WHERE route IS DISTINCT FROM cache_route(cache_key);
    UPDATE cache_body_chunk SET route = cache_route(cache_key) WHERE route IS DISTINCT FROM cache_route(cache_key);
END
$$;
