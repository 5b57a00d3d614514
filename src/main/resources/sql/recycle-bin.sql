-- The recycle bin's restore (recyclebin/RecycleBin); its listing is the ORM's (entry/CacheEntry). A filter left out
-- is a NULL parameter. These statements run with custom plans only (restore-custom-plans): a custom plan drops the
-- conditions of the NULL filters and plans for the values given, where a generic plan estimated ":x IS NULL OR ..."
-- at almost nothing, expected a handful of matches and sorted all of them, a batch costing some 40 times the
-- custom plan's (docs/performance.md, "Figures behind the code").

-- name: restore-custom-plans
SET plan_cache_mode = force_custom_plan;

-- name: restore-default-plans
RESET plan_cache_mode;

-- name: restore-batch
-- One batch: the same change as a single restore (live again, version advanced) of at most :batch_size rows deleted
-- after :now minus the grace period, after the previous batch's last in (deleted_at, id) order (:after_at,
-- :after_id), which cache_entry_purge_deleted_idx hands out from where it left off. The locked rows are changed by
-- ctid (a TID scan: their ctid cannot change while this statement holds their locks); a row locked by someone else
-- is passed over. On Citus the same statement runs on each shard's own table (:"entries") on its worker.
WITH picked AS (
    SELECT ctid, deleted_at, id FROM :"entries"
    WHERE deleted_at > :now::timestamptz - :'grace_period'::interval
      AND (:key::text IS NULL OR cache_key = :key)
      AND (:url_prefix::text IS NULL OR starts_with(request_url, :url_prefix))
      AND (:deleted_after::timestamptz IS NULL OR deleted_at > :deleted_after)
      AND (:deleted_before::timestamptz IS NULL OR deleted_at < :deleted_before)
      AND (:created_after::timestamptz IS NULL OR created_at > :created_after)
      AND (:created_before::timestamptz IS NULL OR created_at < :created_before)
      AND (:tags::text[] IS NULL OR tags && :tags)
      AND (deleted_at, id) > (:after_at::timestamptz, :after_id::uuid)
    ORDER BY deleted_at, id
    LIMIT :batch_size FOR UPDATE SKIP LOCKED),
restored AS (
    UPDATE :"entries"
    SET deleted_at = NULL, updated_at = now(), version = version + 1
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked)) AND deleted_at > :now::timestamptz - :'grace_period'::interval
    RETURNING 1),
last AS (
    SELECT deleted_at, id FROM picked ORDER BY deleted_at DESC, id DESC LIMIT 1)
SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM restored) AS restored,
       (SELECT deleted_at FROM last) AS last_at, (SELECT id FROM last) AS last_id;

-- name: restore-counts
-- A dry run: the matching rows a restore would bring back (deleted), and those past their grace period, which a
-- restore leaves to the purge (purgeable); one scan of the deleted rows (cache_entry_purge_deleted_idx).
SELECT count(*) FILTER (WHERE deleted_at > now() - :'grace_period'::interval) AS deleted,
       count(*) FILTER (WHERE deleted_at <= now() - :'grace_period'::interval) AS purgeable
FROM cache_entry
WHERE deleted_at IS NOT NULL
  AND (:key::text IS NULL OR cache_key = :key)
  AND (:url_prefix::text IS NULL OR starts_with(request_url, :url_prefix))
  AND (:deleted_after::timestamptz IS NULL OR deleted_at > :deleted_after)
  AND (:deleted_before::timestamptz IS NULL OR deleted_at < :deleted_before)
  AND (:created_after::timestamptz IS NULL OR created_at > :created_after)
  AND (:created_before::timestamptz IS NULL OR created_at < :created_before)
  AND (:tags::text[] IS NULL OR tags && :tags);
