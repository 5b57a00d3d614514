-- Bodies streamed as bytes (POST /bodies, GET /entries/{id}/body): a body too large for a JSON document
-- is uploaded first, in chunks, then an entry takes it (POST/PUT /entries with response.bodyId). A body
-- never changes once uploaded: a replaced body is another body, so a reader streaming one reads one
-- version whole.
CREATE TABLE cache_body (
    id         uuid        PRIMARY KEY,
    -- The key it was uploaded under: only an entry of this key may take it.
    cache_key  text        NOT NULL,
    -- Every chunk but the last holds exactly this many bytes, so byte n is in chunk n / chunk_size.
    chunk_size integer     NOT NULL CHECK (chunk_size > 0),
    -- NULL while the upload runs: an unfinished body is never taken by an entry.
    size       bigint      NULL CHECK (size >= 0),
    -- Set at the upload's start, at each chunk and when an entry takes it: a body no entry holds is removed by
    -- the purge once this is older than cachekeeper.streamed-bodies.upload-timeout (broken or abandoned
    -- uploads, bodies an entry let go of).
    touched_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cache_body_touched_idx ON cache_body (touched_at);

-- The bytes, chunk by chunk; they go with their body (ON DELETE CASCADE), so whatever removes a body removes
-- its chunks in the same transaction. EXTERNAL: stored out of line without a compression attempt (cached
-- responses are mostly compressed already).
CREATE TABLE cache_body_chunk (
    body_id uuid    NOT NULL REFERENCES cache_body (id) ON DELETE CASCADE,
    seq     integer NOT NULL CHECK (seq >= 0),
    data    bytea   NOT NULL,
    PRIMARY KEY (body_id, seq)
);
ALTER TABLE cache_body_chunk ALTER COLUMN data SET STORAGE EXTERNAL;

-- The entry's streamed body and its size (NULL: the body is response_body, as before). Nullable columns
-- without a default rewrite nothing. One body serves at most one entry: an entry takes only a body of its own
-- key, so unique by (key, body) is unique by body, and a unique index that names the key is one Citus can keep
-- on a table distributed by it.
ALTER TABLE cache_entry ADD COLUMN body_id uuid, ADD COLUMN body_size bigint;
CREATE UNIQUE INDEX cache_entry_body_idx ON cache_entry (cache_key, body_id) WHERE body_id IS NOT NULL;
