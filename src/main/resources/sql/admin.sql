-- The operators' figures (admin/), and the readiness probe.

-- name: readiness-probe
-- Readiness includes the database (database/DatabaseReadiness): an answer within cachekeeper.database.timeout.
SELECT 1;

-- name: stats-by-state
-- One scan: the total, then each state's rows and body bytes (stored in the row or streamed).
SELECT count(*) AS total_entries,
       coalesce(sum(octet_length(response_body) + coalesce(body_size, 0)), 0)::bigint AS total_bytes,
       count(*) FILTER (WHERE deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS live_entries,
       coalesce(sum(octet_length(response_body) + coalesce(body_size, 0))
                FILTER (WHERE deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())), 0)::bigint
           AS live_bytes,
       count(*) FILTER (WHERE deleted_at IS NULL AND expires_at <= now()) AS expired_entries,
       coalesce(sum(octet_length(response_body) + coalesce(body_size, 0))
                FILTER (WHERE deleted_at IS NULL AND expires_at <= now()), 0)::bigint AS expired_bytes,
       count(*) FILTER (WHERE deleted_at > now() - :'grace_period'::interval) AS deleted_entries,
       coalesce(sum(octet_length(response_body) + coalesce(body_size, 0))
                FILTER (WHERE deleted_at > now() - :'grace_period'::interval), 0)::bigint AS deleted_bytes,
       count(*) FILTER (WHERE deleted_at <= now() - :'grace_period'::interval) AS purgeable_entries,
       coalesce(sum(octet_length(response_body) + coalesce(body_size, 0))
                FILTER (WHERE deleted_at <= now() - :'grace_period'::interval), 0)::bigint AS purgeable_bytes
FROM cache_entry;

-- name: stats-streamed
-- The streamed bodies: their chunks' bytes (an unfinished upload has no size yet) and which no entry holds.
-- octet_length of a chunk reads its stored length. Every join names the key and the route, so that on Citus
-- each shard answers for its own bodies.
SELECT count(*) AS bodies, coalesce(sum(bytes), 0)::bigint AS bytes,
       count(*) FILTER (WHERE unheld) AS unheld_bodies,
       coalesce(sum(bytes) FILTER (WHERE unheld), 0)::bigint AS unheld_bytes
FROM (SELECT coalesce(b.size, (SELECT sum(octet_length(data)) FROM cache_body_chunk c
                               WHERE c.cache_key = b.cache_key AND c.route = b.route AND c.body_id = b.id)) AS bytes,
             NOT EXISTS (SELECT 1 FROM cache_entry e
                         WHERE e.cache_key = b.cache_key AND e.route = b.route AND e.body_id = b.id) AS unheld
      FROM cache_body b) AS body;

-- name: deletions-per-hour
-- Soft deletions still in the store since :since, per hour (cache_entry_purge_deleted_idx alone serves it).
SELECT date_bin(interval '1 hour', deleted_at, timestamptz 'epoch') AS hour, count(*) AS deleted
FROM cache_entry
WHERE deleted_at >= :since
GROUP BY 1;
