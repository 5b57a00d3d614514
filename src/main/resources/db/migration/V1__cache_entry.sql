-- One row per stored HTTP cache entry (request/response pair under a cache key).
CREATE TABLE cache_entry (
    id               uuid        PRIMARY KEY,
    cache_key        text        NOT NULL,
    request_method   text        NOT NULL,
    request_url      text        NOT NULL,
    request_headers  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    response_status  integer     NOT NULL CHECK (response_status BETWEEN 100 AND 599),
    response_headers jsonb       NOT NULL DEFAULT '{}'::jsonb,
    response_body    bytea       NOT NULL,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    ttl_seconds      bigint      NULL CHECK (ttl_seconds >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NULL,
    deleted_at       timestamptz NULL
);

-- Key lookups (GET /entries?key=K): equality on the key, oldest first.
CREATE INDEX cache_entry_key_created_idx ON cache_entry (cache_key, created_at, id);

-- The purge walks each reason through its own partial index, so a batch never scans
-- live rows: soft-deleted rows by deleted_at ...
CREATE INDEX cache_entry_purge_deleted_idx ON cache_entry (deleted_at) WHERE deleted_at IS NOT NULL;
-- ... and expiring rows that are not soft-deleted by expires_at.
CREATE INDEX cache_entry_purge_expired_idx ON cache_entry (expires_at) WHERE deleted_at IS NULL AND expires_at IS NOT NULL;
