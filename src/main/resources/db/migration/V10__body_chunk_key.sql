-- A chunk carries its body's cache key, so that on Citus (docs/scale.md) the chunks are distributed by it and
-- live in the shard of their entry and body, and every statement on them names the key (one shard). On
-- PostgreSQL the key is a few bytes per chunk of 256 KiB, and the statements are the same on both.
ALTER TABLE cache_body_chunk ADD COLUMN cache_key text;
UPDATE cache_body_chunk c SET cache_key = b.cache_key FROM cache_body b WHERE b.id = c.body_id;
ALTER TABLE cache_body_chunk ALTER COLUMN cache_key SET NOT NULL;
