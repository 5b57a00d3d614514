-- Every write bumps the version: the API sends it as the ETag and honours If-Match with it, so two
-- writers of one entry (in different pods) cannot overwrite each other unknowingly.
ALTER TABLE cache_entry ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- Invalidation by URL prefix (DELETE /entries?urlPrefix=P) on the entries it can still affect (not
-- yet soft-deleted). Byte order ("C" collation) makes "starts with P" the range [P, next(P)), which a
-- b-tree answers whatever the database's collation.
CREATE INDEX cache_entry_url_prefix_idx ON cache_entry ((request_url COLLATE "C")) WHERE deleted_at IS NULL;
