-- The entries API's statements over cache_entry, one round trip each (entry/EntryRepository). A write checks and
-- changes its row in one UPDATE ... RETURNING, which takes the row lock itself, so a purge batch skips or
-- re-checks the row. A read returns the row's state and purge_after computed over the database's clock
-- (lifecycle.sql); a write returns the stored columns only (Citus refuses now() in RETURNING) and the state is
-- judged in Java at the updated_at it set (entry/EntryColumns.readWritten).
--
-- The JSON columns travel as text, written back out as they are and never parsed. Time arithmetic on a row is
-- done on the UTC wall clock: timestamp + interval is IMMUTABLE where timestamptz + interval is only STABLE, and
-- Citus refuses a STABLE function over a column in an UPDATE; for whole seconds the two give the same instant.
--
-- A statement on the rows of :cache_key names their route too (route = cache_route(:cache_key)): on Citus the
-- route is the distribution column, so the statement reaches one shard; on PostgreSQL it is one more filter on
-- the rows the key's index found. A statement on one row by its id alone has a @citus variant that names the
-- row's :entry_route, which entry/IdPlacement finds (the id map).
--
-- Parameters of a write: the content's columns by name (entry/EntryColumns.contentParams), :id the entry,
-- :ttl_seconds its TTL (NULL: none given), :body_id and :body_size its streamed body (NULL: the body is
-- :response_body), :if_match the If-Match versions (NULL: no condition).

-- name: entry-by-id
SELECT id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
       response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at, updated_at,
       expires_at, deleted_at, version, tags, body_id, body_size,
       CASE WHEN deleted_at IS NOT NULL
            THEN CASE WHEN deleted_at > now() - :'grace_period'::interval THEN 'deleted' ELSE 'purgeable' END
            WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state,
       CASE WHEN deleted_at IS NOT NULL THEN deleted_at + :'grace_period'::interval
            ELSE expires_at + :'stale_retention'::interval END AS purge_after,
       response_body
FROM cache_entry
WHERE id = :id;

-- name: entry-by-id @citus
SELECT id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
       response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at, updated_at,
       expires_at, deleted_at, version, tags, body_id, body_size,
       CASE WHEN deleted_at IS NOT NULL
            THEN CASE WHEN deleted_at > now() - :'grace_period'::interval THEN 'deleted' ELSE 'purgeable' END
            WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state,
       CASE WHEN deleted_at IS NOT NULL THEN deleted_at + :'grace_period'::interval
            ELSE expires_at + :'stale_retention'::interval END AS purge_after,
       response_body
FROM cache_entry
WHERE id = :id AND route = :entry_route::int;

-- name: entries-by-ids
-- The recycle bin's page: the rows of :ids (its listing filtered, ordered and paged them), their states judged at
-- :now, the instant the listing judged at; the body in the row when :include_body (a streamed entry's is empty).
SELECT id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
       response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at, updated_at,
       expires_at, deleted_at, version, tags, body_id, body_size,
       CASE WHEN deleted_at IS NOT NULL
            THEN CASE WHEN deleted_at > :now::timestamptz - :'grace_period'::interval THEN 'deleted' ELSE 'purgeable' END
            WHEN expires_at <= :now::timestamptz THEN 'expired' ELSE 'live' END AS state,
       CASE WHEN deleted_at IS NOT NULL THEN deleted_at + :'grace_period'::interval
            ELSE expires_at + :'stale_retention'::interval END AS purge_after,
       CASE WHEN :include_body::boolean OR body_id IS NOT NULL THEN response_body END AS response_body
FROM cache_entry
WHERE id = ANY(:ids::uuid[]);

-- name: entry-insert
-- A new row; empty when the id is taken. A streamed body another entry took meanwhile is the unique index's error.
INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, request_headers, response_status,
                         response_headers, response_body, metadata, tags, body_id, body_size, ttl_seconds,
                         created_at, updated_at, expires_at)
VALUES (:id, cache_route(:cache_key), :cache_key, :request_method, :request_url, :request_headers::text::jsonb,
        :response_status, :response_headers::text::jsonb, :response_body, :metadata::text::jsonb, :tags::text[],
        :body_id::uuid, :body_size::bigint, :ttl_seconds::bigint, now(), now(),
        ((now() AT TIME ZONE 'UTC') + :ttl_seconds::bigint * interval '1 second') AT TIME ZONE 'UTC')
ON CONFLICT (id) DO NOTHING
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-insert @citus
-- The shards' primary key is (route, id); an id is unique across them by the id map (entry/IdPlacement).
INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, request_headers, response_status,
                         response_headers, response_body, metadata, tags, body_id, body_size, ttl_seconds,
                         created_at, updated_at, expires_at)
VALUES (:id, cache_route(:cache_key), :cache_key, :request_method, :request_url, :request_headers::text::jsonb,
        :response_status, :response_headers::text::jsonb, :response_body, :metadata::text::jsonb, :tags::text[],
        :body_id::uuid, :body_size::bigint, :ttl_seconds::bigint, now(), now(),
        ((now() AT TIME ZONE 'UTC') + :ttl_seconds::bigint * interval '1 second') AT TIME ZONE 'UTC')
ON CONFLICT (route, id) DO NOTHING
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-replace-keeping-ttl
-- The row of :id under :cache_key, not deleted, its version matching: its content replaced, its TTL and expiry
-- kept (only when the write gives no TTL). Two statements for the TTL because Citus refuses now() inside CASE.
UPDATE cache_entry
SET request_method = :request_method, request_url = :request_url, request_headers = :request_headers::text::jsonb,
    response_status = :response_status, response_headers = :response_headers::text::jsonb,
    response_body = :response_body, metadata = :metadata::text::jsonb, tags = :tags::text[],
    body_id = :body_id::uuid, body_size = :body_size::bigint,
    updated_at = now(), version = version + 1
WHERE id = :id AND cache_key = :cache_key AND route = cache_route(:cache_key) AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[])) AND :ttl_seconds::bigint IS NULL
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-replace-restarting-ttl
-- The same, its TTL restarted from now (a NULL TTL: no expiry at all, since now() + NULL is NULL).
UPDATE cache_entry
SET request_method = :request_method, request_url = :request_url, request_headers = :request_headers::text::jsonb,
    response_status = :response_status, response_headers = :response_headers::text::jsonb,
    response_body = :response_body, metadata = :metadata::text::jsonb, tags = :tags::text[],
    body_id = :body_id::uuid, body_size = :body_size::bigint,
    ttl_seconds = :ttl_seconds::bigint,
    expires_at = ((now() AT TIME ZONE 'UTC') + :ttl_seconds::bigint * interval '1 second') AT TIME ZONE 'UTC',
    updated_at = now(), version = version + 1
WHERE id = :id AND cache_key = :cache_key AND route = cache_route(:cache_key) AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-move-key-keeping-ttl
-- The replace of a row that is under another key: the key and its route change with the content. Citus does not
-- assign the distribution column; there the row is taken out and put in again (entry-take-out, entry-move-in).
UPDATE cache_entry
SET cache_key = :cache_key, route = cache_route(:cache_key),
    request_method = :request_method, request_url = :request_url, request_headers = :request_headers::text::jsonb,
    response_status = :response_status, response_headers = :response_headers::text::jsonb,
    response_body = :response_body, metadata = :metadata::text::jsonb, tags = :tags::text[],
    body_id = :body_id::uuid, body_size = :body_size::bigint,
    updated_at = now(), version = version + 1
WHERE id = :id AND cache_key <> :cache_key AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[])) AND :ttl_seconds::bigint IS NULL
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-move-key-restarting-ttl
UPDATE cache_entry
SET cache_key = :cache_key, route = cache_route(:cache_key),
    request_method = :request_method, request_url = :request_url, request_headers = :request_headers::text::jsonb,
    response_status = :response_status, response_headers = :response_headers::text::jsonb,
    response_body = :response_body, metadata = :metadata::text::jsonb, tags = :tags::text[],
    body_id = :body_id::uuid, body_size = :body_size::bigint,
    ttl_seconds = :ttl_seconds::bigint,
    expires_at = ((now() AT TIME ZONE 'UTC') + :ttl_seconds::bigint * interval '1 second') AT TIME ZONE 'UTC',
    updated_at = now(), version = version + 1
WHERE id = :id AND cache_key <> :cache_key AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-take-out @citus
-- A PUT that changes the key moves the row to its new key's shard, since Citus does not assign the distribution
-- column. In one transaction the row is taken out of its route (:from_route) with the replace's conditions ...
DELETE FROM cache_entry
WHERE id = :id AND route = :from_route::int AND cache_key <> :cache_key AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING created_at, version, ttl_seconds, expires_at;

-- name: entry-move-in-keeping-ttl @citus
-- ... and put in under the new key with the content, the old row's :created_at, its next :version and its
-- :expires_at (the TTL kept); the id map then follows (id-map-point, or id-map-remove when the id names the new
-- key's route).
INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, request_headers, response_status,
                         response_headers, response_body, metadata, tags, body_id, body_size, ttl_seconds,
                         created_at, updated_at, version, expires_at)
VALUES (:id, cache_route(:cache_key), :cache_key, :request_method, :request_url, :request_headers::text::jsonb,
        :response_status, :response_headers::text::jsonb, :response_body, :metadata::text::jsonb, :tags::text[],
        :body_id::uuid, :body_size::bigint, :ttl_seconds::bigint, :created_at::timestamptz, now(), :version::bigint,
        :expires_at::timestamptz)
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-move-in-restarting-ttl @citus
-- The same with the TTL restarted from now.
INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, request_headers, response_status,
                         response_headers, response_body, metadata, tags, body_id, body_size, ttl_seconds,
                         created_at, updated_at, version, expires_at)
VALUES (:id, cache_route(:cache_key), :cache_key, :request_method, :request_url, :request_headers::text::jsonb,
        :response_status, :response_headers::text::jsonb, :response_body, :metadata::text::jsonb, :tags::text[],
        :body_id::uuid, :body_size::bigint, :ttl_seconds::bigint, :created_at::timestamptz, now(), :version::bigint,
        ((now() AT TIME ZONE 'UTC') + :ttl_seconds::bigint * interval '1 second') AT TIME ZONE 'UTC')
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size;

-- name: entry-replace-keeping-body-and-ttl
-- A replace that keeps the entry's body (in the row or streamed) and its key; it returns the body, which the
-- client did not send.
UPDATE cache_entry
SET request_method = :request_method, request_url = :request_url, request_headers = :request_headers::text::jsonb,
    response_status = :response_status, response_headers = :response_headers::text::jsonb,
    metadata = :metadata::text::jsonb, tags = :tags::text[],
    updated_at = now(), version = version + 1
WHERE id = :id AND cache_key = :cache_key AND route = cache_route(:cache_key) AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[])) AND :ttl_seconds::bigint IS NULL
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entry-replace-keeping-body-restarting-ttl
UPDATE cache_entry
SET request_method = :request_method, request_url = :request_url, request_headers = :request_headers::text::jsonb,
    response_status = :response_status, response_headers = :response_headers::text::jsonb,
    metadata = :metadata::text::jsonb, tags = :tags::text[],
    ttl_seconds = :ttl_seconds::bigint,
    expires_at = ((now() AT TIME ZONE 'UTC') + :ttl_seconds::bigint * interval '1 second') AT TIME ZONE 'UTC',
    updated_at = now(), version = version + 1
WHERE id = :id AND cache_key = :cache_key AND route = cache_route(:cache_key) AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entry-take-body
-- A finished upload :body_id of the entry's key, within the upload timeout, that no other entry holds: touched, so
-- that the purge of bodies no entry holds leaves it alone while the write that takes it runs. Its size.
UPDATE cache_body b SET touched_at = now()
WHERE id = :body_id AND cache_key = :cache_key AND route = cache_route(:cache_key) AND size IS NOT NULL
  AND touched_at > now() - :'upload_timeout'::interval
  AND NOT EXISTS (SELECT 1 FROM cache_entry e
                  WHERE e.cache_key = b.cache_key AND e.route = b.route AND e.body_id = b.id AND e.id <> :id)
RETURNING size;

-- name: entry-refresh
-- The expiry restarted from the entry's own TTL.
UPDATE cache_entry
SET expires_at = ((now() AT TIME ZONE 'UTC') + ttl_seconds * interval '1 second') AT TIME ZONE 'UTC',
    updated_at = now(), version = version + 1
WHERE id = :id AND deleted_at IS NULL AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entry-refresh @citus
UPDATE cache_entry
SET expires_at = ((now() AT TIME ZONE 'UTC') + ttl_seconds * interval '1 second') AT TIME ZONE 'UTC',
    updated_at = now(), version = version + 1
WHERE id = :id AND route = :entry_route::int AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entry-soft-delete
-- Only a live or expired row changes; deleting a deleted entry again answers the row as it is, with its first
-- deleted_at and its version (entry/EntryService).
UPDATE cache_entry
SET deleted_at = now(), updated_at = now(), version = version + 1
WHERE id = :id AND deleted_at IS NULL AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entry-soft-delete @citus
UPDATE cache_entry
SET deleted_at = now(), updated_at = now(), version = version + 1
WHERE id = :id AND route = :entry_route::int AND deleted_at IS NULL
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entry-restore
-- Only a row inside its grace period comes back.
UPDATE cache_entry
SET deleted_at = NULL, updated_at = now(), version = version + 1
WHERE id = :id AND deleted_at > now() - :'grace_period'::interval
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entry-restore @citus
UPDATE cache_entry
SET deleted_at = NULL, updated_at = now(), version = version + 1
WHERE id = :id AND route = :entry_route::int AND deleted_at > now() - :'grace_period'::interval
  AND (:if_match::bigint[] IS NULL OR version = ANY(:if_match::bigint[]))
RETURNING id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
          response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at,
          updated_at, expires_at, deleted_at, version, tags, body_id, body_size, response_body;

-- name: entries-soft-delete-by-key
-- Each live row's first deletion, one version up.
UPDATE cache_entry
SET deleted_at = now(), updated_at = now(), version = version + 1
WHERE cache_key = :cache_key AND route = cache_route(:cache_key)
  AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now());

-- name: entries-invalidate-tags
-- One batch of a wide invalidation (entry/EntryRepository.invalidate): at most :batch_size live rows carrying any
-- of :tags, picked (cache_entry_tags_idx serves the overlap) and then changed; the UPDATE re-checks them under its
-- row lock, so a row a writer changed meanwhile is left as the writer left it. picked < :batch_size says the batch
-- was the last. The picked rows are joined back by (route, id): the primary key of Citus's shards and their
-- distribution column, so each shard's part of the UPDATE finds its rows by index; on PostgreSQL the id's index.
WITH picked AS (
    SELECT route, id FROM cache_entry
    WHERE tags && :tags::text[] AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    LIMIT :batch_size),
deleted AS (
    UPDATE cache_entry e SET deleted_at = now(), updated_at = now(), version = e.version + 1
    FROM picked
    WHERE e.route = picked.route AND e.id = picked.id
      AND tags && :tags::text[] AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    RETURNING 1)
SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM deleted) AS deleted;

-- name: entries-invalidate-url-prefix
-- The same for the URLs starting with :prefix, below :upper_bound (the least string above every string that
-- starts with it). The range on the "C"-collated URL is what cache_entry_url_prefix_idx serves; starts_with
-- makes it exact.
WITH picked AS (
    SELECT route, id FROM cache_entry
    WHERE (request_url COLLATE "C") >= :prefix AND starts_with(request_url, :prefix)
      AND (request_url COLLATE "C") < :upper_bound
      AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    LIMIT :batch_size),
deleted AS (
    UPDATE cache_entry e SET deleted_at = now(), updated_at = now(), version = e.version + 1
    FROM picked
    WHERE e.route = picked.route AND e.id = picked.id
      AND (request_url COLLATE "C") >= :prefix AND starts_with(request_url, :prefix)
      AND (request_url COLLATE "C") < :upper_bound
      AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    RETURNING 1)
SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM deleted) AS deleted;

-- name: entries-invalidate-url-prefix-unbounded
-- The same for a prefix without an upper bound (one ending in U+10FFFF): the lower bound alone serves.
WITH picked AS (
    SELECT route, id FROM cache_entry
    WHERE (request_url COLLATE "C") >= :prefix AND starts_with(request_url, :prefix)
      AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    LIMIT :batch_size),
deleted AS (
    UPDATE cache_entry e SET deleted_at = now(), updated_at = now(), version = e.version + 1
    FROM picked
    WHERE e.route = picked.route AND e.id = picked.id
      AND (request_url COLLATE "C") >= :prefix AND starts_with(request_url, :prefix)
      AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    RETURNING 1)
SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM deleted) AS deleted;

-- name: entries-by-key
-- A page of the entries under :cache_key, oldest first, after the cursor (:after_created_at, :after_id; the first
-- page starts before every row), at most :limit: the live ones, and the deleted and expired ones when asked for.
-- The plan is the index scan on (cache_key, created_at, id) from the cursor on, whichever states are asked for:
-- the flags only decide the filter of each row it reads.
SELECT id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
       response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at, updated_at,
       expires_at, deleted_at, version, tags, body_id, body_size,
       CASE WHEN deleted_at IS NOT NULL
            THEN CASE WHEN deleted_at > now() - :'grace_period'::interval THEN 'deleted' ELSE 'purgeable' END
            WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state,
       CASE WHEN deleted_at IS NOT NULL THEN deleted_at + :'grace_period'::interval
            ELSE expires_at + :'stale_retention'::interval END AS purge_after
FROM cache_entry
WHERE cache_key = :cache_key AND route = cache_route(:cache_key)
  AND (created_at, id) > (:after_created_at::timestamptz, :after_id::uuid)
  AND ((deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
       OR (:include_deleted::boolean AND deleted_at > now() - :'grace_period'::interval)
       OR (:include_expired::boolean AND deleted_at IS NULL AND expires_at <= now()))
ORDER BY created_at, id
LIMIT :limit;

-- name: entries-by-key-with-bodies
-- The same page with bodies, first step: a row's body comes along only if it is at most :page_bytes / :limit
-- bytes (no page of such bodies can pass the page's byte cap), and fits says whether it did; a CASE that is false
-- never detoasts the body. When every row fits (the common case) that is the page; otherwise the lookup runs
-- entries-by-key-capped.
SELECT id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
       response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at, updated_at,
       expires_at, deleted_at, version, tags, body_id, body_size,
       CASE WHEN deleted_at IS NOT NULL
            THEN CASE WHEN deleted_at > now() - :'grace_period'::interval THEN 'deleted' ELSE 'purgeable' END
            WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state,
       CASE WHEN deleted_at IS NOT NULL THEN deleted_at + :'grace_period'::interval
            ELSE expires_at + :'stale_retention'::interval END AS purge_after,
       CASE WHEN octet_length(response_body) <= :page_bytes::bigint / :limit::bigint THEN response_body END
           AS response_body,
       octet_length(response_body) <= :page_bytes::bigint / :limit::bigint AS fits
FROM cache_entry
WHERE cache_key = :cache_key AND route = cache_route(:cache_key)
  AND (created_at, id) > (:after_created_at::timestamptz, :after_id::uuid)
  AND ((deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
       OR (:include_deleted::boolean AND deleted_at > now() - :'grace_period'::interval)
       OR (:include_expired::boolean AND deleted_at IS NULL AND expires_at <= now()))
ORDER BY created_at, id
LIMIT :limit;

-- name: entries-by-key-capped
-- The same page cut at :page_bytes in the same single index scan: a running sum over octet_length(response_body)
-- (the size PostgreSQL keeps in the TOAST pointer, read without fetching the body) marks the rows past the cap,
-- which come back without their body and with fits false; the repository ends the page before them. ROWS
-- framing: the running sum is emitted row by row, so the LIMIT above it stops the scan.
SELECT id, cache_key, request_method, request_url, request_headers::text AS request_headers, response_status,
       response_headers::text AS response_headers, metadata::text AS metadata, ttl_seconds, created_at, updated_at,
       expires_at, deleted_at, version, tags, body_id, body_size, state, purge_after,
       CASE WHEN bytes_before < :page_bytes::bigint THEN response_body END AS response_body,
       bytes_before < :page_bytes::bigint AS fits
FROM (
    SELECT *,
           CASE WHEN deleted_at IS NOT NULL
                THEN CASE WHEN deleted_at > now() - :'grace_period'::interval THEN 'deleted' ELSE 'purgeable' END
                WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state,
           CASE WHEN deleted_at IS NOT NULL THEN deleted_at + :'grace_period'::interval
                ELSE expires_at + :'stale_retention'::interval END AS purge_after,
           sum(octet_length(response_body)) OVER (ORDER BY created_at, id ROWS UNBOUNDED PRECEDING)
               - octet_length(response_body) AS bytes_before
    FROM cache_entry
    WHERE cache_key = :cache_key AND route = cache_route(:cache_key)
      AND (created_at, id) > (:after_created_at::timestamptz, :after_id::uuid)
      AND ((deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
           OR (:include_deleted::boolean AND deleted_at > now() - :'grace_period'::interval)
           OR (:include_expired::boolean AND deleted_at IS NULL AND expires_at <= now()))
    ORDER BY created_at, id
    LIMIT :limit) page
ORDER BY created_at, id;
