-- Size caps (cachekeeper.max-entries / max-total-size): a pass evicts the oldest entries that are not
-- soft-deleted, oldest first; this index hands them out in that order without a sort.
CREATE INDEX cache_entry_evict_idx ON cache_entry (created_at, id) WHERE deleted_at IS NULL;
