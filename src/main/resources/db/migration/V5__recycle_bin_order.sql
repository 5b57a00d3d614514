-- The recycle bin (GET /admin/entries) pages through entries newest first, with a keyset cursor:
-- soft-deleted ones by (deleted_at, id), any state by (created_at, id). Each order is one index scan,
-- read backwards.
-- The purge's index on deleted_at gains id, so the recycle bin's order needs no sort; the purge reads it
-- as before (deleted_at <= now() - grace).
DROP INDEX cache_entry_purge_deleted_idx;
CREATE INDEX cache_entry_purge_deleted_idx ON cache_entry (deleted_at, id) WHERE deleted_at IS NOT NULL;
-- Eviction's index (oldest entries not soft-deleted) covers every row instead, for the newest-first order
-- across states; eviction reads it as before, skipping the soft-deleted rows.
DROP INDEX cache_entry_evict_idx;
CREATE INDEX cache_entry_created_idx ON cache_entry (created_at, id);
