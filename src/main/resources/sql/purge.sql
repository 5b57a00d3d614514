-- The purge of a cleanup pass on PostgreSQL (cleanup/): the index path in batches (PurgeBatch), the heap sweep by
-- TID ranges (HeapSweep), the planner that picks between them (PurgePlanner), and size-cap eviction
-- (SizeCapEviction). Eligibility is lifecycle.sql's purgeable and stale, judged on the row version deleted.
-- Every DELETE takes the entries' streamed bodies with it in the same statement: its final aggregate passes the
-- body ids the CTE returned to cache_body_remove (migration V9), a STRICT function, so a batch without streamed
-- bodies does no work for them. Each commits asynchronously: at worst a crash brings back rows that the next pass
-- purges again.

-- name: purge-batch-deleted
-- Up to :batch_size soft-deleted rows past their grace period, locked SKIP LOCKED (concurrent passes and writers
-- never wait on each other; a row a restore holds is left alone, and re-checked if the restore commits first)
-- and deleted by ctid: a TID scan, about a third less time per batch than joining back through the primary key.
WITH gone AS (
    DELETE FROM cache_entry
    WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM cache_entry
            WHERE deleted_at <= now() - :'grace_period'::interval
            LIMIT :batch_size FOR UPDATE SKIP LOCKED))
      AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
    RETURNING body_id)
SELECT count(*) AS purged, cache_body_remove(array_agg(body_id) FILTER (WHERE body_id IS NOT NULL)) AS removed_bodies
FROM gone;

-- name: purge-batch-expired
-- The same for expired rows past stale retention.
WITH gone AS (
    DELETE FROM cache_entry
    WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM cache_entry
            WHERE deleted_at IS NULL AND expires_at <= now() - :'stale_retention'::interval
            LIMIT :batch_size FOR UPDATE SKIP LOCKED))
      AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
    RETURNING body_id)
SELECT count(*) AS purged, cache_body_remove(array_agg(body_id) FILTER (WHERE body_id IS NOT NULL)) AS removed_bodies
FROM gone;

-- name: purge-count-deleted
-- A dry run's count of the rows purge-batch-deleted would take.
SELECT count(*) AS eligible FROM cache_entry WHERE deleted_at <= now() - :'grace_period'::interval;

-- name: purge-count-expired
SELECT count(*) AS eligible FROM cache_entry
WHERE deleted_at IS NULL AND expires_at <= now() - :'stale_retention'::interval;

-- name: purge-estimate
-- The planner's own estimate of the eligible rows: EXPLAIN plans the query and reads no table or index page.
EXPLAIN (FORMAT JSON) SELECT 1 FROM cache_entry
WHERE deleted_at <= now() - :'grace_period'::interval
   OR deleted_at IS NULL AND expires_at <= now() - :'stale_retention'::interval;

-- name: purge-table-pages
SELECT greatest(1, pg_relation_size('cache_entry') / current_setting('block_size')::int) AS pages;

-- name: sweep-start
-- A sweep's first ticket (a chunk of its own), the table's pages as they are now, and the page size.
SELECT nextval('cache_entry_sweep_seq') AS ticket,
       greatest(1, pg_relation_size('cache_entry') / current_setting('block_size')::bigint) AS pages,
       current_setting('block_size')::int AS block_size;

-- name: sweep-claim
-- The lane's next ticket, and its chunk's lock (:lock_class, ticket mod :chunks) if nobody holds it; the lock of
-- the lane's previous chunk (:held, -1 for none) let go in the same round trip. The subquery keeps nextval
-- evaluated once (a volatile target list is not pulled up into the outer query).
SELECT ticket,
       CASE WHEN :held::int >= 0 THEN pg_advisory_unlock(:lock_class::int, :held::int) END AS released,
       pg_try_advisory_lock(:lock_class::int, (ticket % :chunks::bigint)::int) AS mine
FROM (SELECT nextval('cache_entry_sweep_seq') AS ticket) AS claimed;

-- name: sweep-take
-- The lock of the sweep's own first chunk, if nobody holds it.
SELECT pg_try_advisory_lock(:lock_class::int, :chunk::int) AS mine;

-- name: sweep-generic-plans
-- For the lane's session while it sweeps: the range DELETE on its generic plan. PostgreSQL would otherwise plan it
-- anew on every execution (a custom plan knows the range and estimates it far cheaper than the generic one, so the
-- plan cache never switches), and planning is a fifth of a batch. The generic plan is the same TID range scan.
SET plan_cache_mode = force_generic_plan;

-- name: sweep-end
-- What a sweep leaves on its session: the default plans, and no chunk lock (one simple query, two statements).
RESET plan_cache_mode; SELECT pg_advisory_unlock_all();

-- name: sweep-range
-- The eligible rows of the TID range [:from_tid, :to_tid), deleted without a LIMIT: the range is sized from the
-- density seen so far (cleanup/SweepCursor), and cache_entry_purge_cap (V6) fails a statement that deleted more than
-- :batch_size, so that it rolls back and the lane retries smaller. The PL/pgSQL call is made only by the few ranges
-- that overshoot. The TIDs are parameters, hence pseudo-constants to the planner: a TID range scan.
WITH gone AS (
    DELETE FROM cache_entry
    WHERE ctid >= :from_tid::text::tid AND ctid < :to_tid::text::tid
      AND (deleted_at <= now() - :'grace_period'::interval
           OR deleted_at IS NULL AND expires_at <= now() - :'stale_retention'::interval)
      AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
    RETURNING deleted_at IS NOT NULL AS soft, body_id)
SELECT CASE WHEN count(*) > :batch_size::bigint THEN cache_entry_purge_cap(count(*), :batch_size::bigint)
            ELSE count(*) END AS purged,
       count(*) FILTER (WHERE soft) AS purged_deleted,
       cache_body_remove(array_agg(body_id) FILTER (WHERE body_id IS NOT NULL)) AS removed_bodies
FROM gone;

-- name: evict-try-lock
-- Eviction runs in one replica at a time: the one holding this session lock, never waited for.
SELECT pg_try_advisory_lock(:lock_key::bigint) AS locked;

-- name: evict-unlock
SELECT pg_advisory_unlock(:lock_key::bigint);

-- name: evict-measure
-- The store's entries and the bytes of their bodies, stored in the row or streamed (octet_length reads the size,
-- not the body).
SELECT count(*) AS entries, coalesce(sum(octet_length(response_body) + coalesce(body_size, 0)), 0)::bigint AS body_bytes
FROM cache_entry;

-- name: evict-batch
-- One batch of eviction: the oldest rows that are not soft-deleted, at most :batch_size, as many as the excess
-- still needs (:rows still to evict, :bytes still to evict: a candidate is taken while either is not yet covered
-- by the candidates before it), locked SKIP LOCKED and deleted by ctid with their streamed bodies.
WITH candidates AS (
    SELECT ctid, created_at, id, octet_length(response_body) + coalesce(body_size, 0) AS n
    FROM cache_entry
    WHERE deleted_at IS NULL
    ORDER BY created_at, id
    LIMIT :batch_size FOR UPDATE SKIP LOCKED),
ranked AS (
    SELECT ctid, row_number() OVER o AS r, sum(n) OVER o - n AS bytes_before
    FROM candidates
    WINDOW o AS (ORDER BY created_at, id)),
gone AS (
    DELETE FROM cache_entry
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM ranked WHERE r <= :rows OR bytes_before < :bytes))
      AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
    RETURNING octet_length(response_body) + coalesce(body_size, 0) AS n, body_id)
SELECT count(*) AS entries, coalesce(sum(n), 0)::bigint AS body_bytes,
       cache_body_remove(array_agg(body_id) FILTER (WHERE body_id IS NOT NULL)) AS removed_bodies
FROM gone;

-- name: evict-batch @citus
-- Citus runs neither FOR UPDATE nor ctid conditions through the coordinator: the candidates (the oldest of every
-- shard, merged by the coordinator) are deleted by (route, id), the DELETE's own row locks and re-check keeping a
-- row that was deleted meanwhile, with their id map's rows (of the ids that do not name their route, entry/Route)
-- and their streamed bodies, by route and id so that each reaches its shard.
WITH candidates AS (
    SELECT route, id, created_at, octet_length(response_body) + coalesce(body_size, 0) AS n
    FROM cache_entry
    WHERE deleted_at IS NULL
    ORDER BY created_at, id
    LIMIT :batch_size),
ranked AS (
    SELECT route, id, row_number() OVER o AS r, sum(n) OVER o - n AS bytes_before
    FROM candidates
    WINDOW o AS (ORDER BY created_at, id)),
gone AS (
    DELETE FROM cache_entry
    WHERE (route, id) IN (SELECT route, id FROM ranked WHERE r <= :rows OR bytes_before < :bytes)
      AND deleted_at IS NULL
    RETURNING route, id, octet_length(response_body) + coalesce(body_size, 0) AS n, body_id),
unmapped AS (
    DELETE FROM cache_entry_id WHERE id IN (SELECT id FROM gone WHERE cache_id_route(id) <> route)),
bodies_gone AS (
    DELETE FROM cache_body WHERE (route, id) IN (SELECT route, body_id FROM gone WHERE body_id IS NOT NULL))
SELECT count(*) AS entries, coalesce(sum(n), 0)::bigint AS body_bytes FROM gone;
