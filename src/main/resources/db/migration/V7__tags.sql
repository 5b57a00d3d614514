-- Tags (surrogate keys) an entry carries, for invalidation by tag (DELETE /entries?tag=). NULL when it
-- carries none, so an untagged entry costs no byte and no index entry (the index is partial). Adding a
-- nullable column without a default rewrites nothing. A tag is matched exactly (&&: any of the given
-- tags); the GIN index serves the invalidation's batches, the recycle bin's filter and its restore.
ALTER TABLE cache_entry ADD COLUMN tags text[];

CREATE INDEX cache_entry_tags_idx ON cache_entry USING gin (tags) WHERE tags IS NOT NULL;
