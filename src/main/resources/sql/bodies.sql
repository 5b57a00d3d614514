-- Streamed bodies (cache_body, cache_body_chunk, migration V8; body/BodyStore). An upload writes its chunks one
-- short statement each, an entry takes a finished body in its own write's transaction (entry-take-body), a reader
-- reads a few chunks per statement. Every statement names the body's key and its route: one shard on Citus, where
-- a body lives with its entry's key; on PostgreSQL the route is written too, so one statement serves both.

-- name: body-start
-- An upload of :id under :cache_key: a body with no chunk yet, unfinished.
INSERT INTO cache_body (id, cache_key, route, chunk_size) VALUES (:id, :cache_key, cache_route(:cache_key), :chunk_size);

-- name: body-write-chunk
-- Chunk :seq of an unfinished body. Touches the body (an upload that keeps sending is not abandoned) and writes
-- nothing when the body is gone or finished. Committed asynchronously: the upload's end commits durably, and WAL
-- is flushed in order, so a finished body has all its chunks.
WITH body AS (
    UPDATE cache_body SET touched_at = now()
    WHERE cache_key = :cache_key AND route = cache_route(:cache_key) AND id = :id AND size IS NULL
      AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
    RETURNING id)
INSERT INTO cache_body_chunk (cache_key, route, body_id, seq, data)
SELECT :cache_key, cache_route(:cache_key), id, :seq, :data FROM body;

-- name: body-finish
-- The body finished at :size bytes: from now on an entry may take it.
UPDATE cache_body SET size = :size, touched_at = now()
WHERE cache_key = :cache_key AND route = cache_route(:cache_key) AND id = :id AND size IS NULL;

-- name: body-discard
-- A broken-off upload, removed at once; its chunks follow by the foreign key's cascade.
DELETE FROM cache_body WHERE cache_key = :cache_key AND route = cache_route(:cache_key) AND id = :id;

-- name: body-read-chunks
-- Chunks :first_seq up to (not including) :end_seq of a body.
SELECT seq, data FROM cache_body_chunk
WHERE cache_key = :cache_key AND route = cache_route(:cache_key) AND body_id = :id AND seq >= :first_seq AND seq < :end_seq
ORDER BY seq;

-- name: entry-body
-- The entry :id's version, key and body: streamed (id, size, chunk size) or in the row. The body is joined by key,
-- route and id: one shard on Citus, where it lives with its entry.
SELECT e.version, e.cache_key, e.body_id, coalesce(e.body_size, octet_length(e.response_body)) AS size,
       b.chunk_size, CASE WHEN e.body_id IS NULL THEN e.response_body END AS inline
FROM (SELECT version, cache_key, route, body_id, body_size, response_body FROM cache_entry WHERE id = :id) e
     LEFT JOIN cache_body b ON b.cache_key = e.cache_key AND b.route = e.route AND b.id = e.body_id;

-- name: entry-body @citus
SELECT e.version, e.cache_key, e.body_id, coalesce(e.body_size, octet_length(e.response_body)) AS size,
       b.chunk_size, CASE WHEN e.body_id IS NULL THEN e.response_body END AS inline
FROM (SELECT version, cache_key, route, body_id, body_size, response_body FROM cache_entry
      WHERE id = :id AND route = :entry_route::int) e
     LEFT JOIN cache_body b ON b.cache_key = e.cache_key AND b.route = e.route AND b.id = e.body_id;

-- name: bodies-remove-unheld
-- At most :batch_size bodies no entry holds whose last touch is older than the upload timeout: broken or abandoned
-- uploads, bodies a replace let go of. Their chunks follow by cascade. Locked SKIP LOCKED, so an entry taking a
-- body right now (which touches it: entry-take-body) keeps it.
WITH gone AS (
    DELETE FROM cache_body WHERE id IN (
        SELECT id FROM cache_body b
        WHERE touched_at <= now() - :'upload_timeout'::interval
          AND NOT EXISTS (SELECT 1 FROM cache_entry e
                          WHERE e.cache_key = b.cache_key AND e.route = b.route AND e.body_id = b.id)
        LIMIT :batch_size FOR UPDATE SKIP LOCKED)
      AND touched_at <= now() - :'upload_timeout'::interval
    RETURNING 1)
SELECT count(*) AS removed FROM gone;

-- name: bodies-remove-unheld @citus
-- Citus runs no FOR UPDATE through the coordinator: the picked bodies are deleted by (route, id) and the DELETE
-- re-checks the timeout on the row it deletes; an entry taking a body touches it, so a body taken meanwhile stays.
WITH gone AS (
    DELETE FROM cache_body WHERE (route, id) IN (
        SELECT route, id FROM cache_body b
        WHERE touched_at <= now() - :'upload_timeout'::interval
          AND NOT EXISTS (SELECT 1 FROM cache_entry e
                          WHERE e.cache_key = b.cache_key AND e.route = b.route AND e.body_id = b.id)
        LIMIT :batch_size)
      AND touched_at <= now() - :'upload_timeout'::interval
    RETURNING 1)
SELECT count(*) AS removed FROM gone;
