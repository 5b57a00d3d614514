#!/usr/bin/env bash
# What bounds the purge: the same batch statement the service runs, driven by pgbench straight from
# the database's side (no service, no network stack beyond one socket), vs. one single DELETE.
# Needs psql and pgbench (Debian: postgresql-client, postgresql-contrib) and an empty database:
#   PGURL=postgresql://postgres:postgres@localhost:5432/ceiling bench/sql-ceiling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PGURL:?set PGURL to an empty scratch database}"
ROWS=${BENCH_ROWS:-1000000}
psql -q "$PGURL" -c 'DROP TABLE IF EXISTS cache_entry' -f src/main/resources/db/migration/V1__cache_entry.sql
seed() {
  psql -q "$PGURL" <<SQL
TRUNCATE cache_entry;
INSERT INTO cache_entry (id, cache_key, request_method, request_url, request_headers, response_status,
  response_headers, response_body, metadata, ttl_seconds, created_at, expires_at, deleted_at)
SELECT gen_random_uuid(), 'GET https://example.com/k' || (i % 50000), 'GET', 'https://example.com/' || i,
  '{"accept":["text/html"]}', 200, '{"content-type":["text/html"]}', decode(repeat(md5(i::text), 38), 'hex'), '{}',
  CASE WHEN i % 10 BETWEEN 3 AND 5 THEN 3600 END, now() - interval '3 days',
  CASE WHEN i % 10 BETWEEN 3 AND 5 THEN now() - interval '1 day' END,
  CASE WHEN i % 10 < 3 THEN now() - interval '2 days' END
FROM generate_series(1, $ROWS) AS i;
VACUUM ANALYZE cache_entry;
CHECKPOINT;
SQL
}
batch=$(mktemp)
# The service's batch for the "deleted" reason (grace 1h), as PurgeBatch builds it.
cat > "$batch" <<'SQL'
DELETE FROM cache_entry WHERE ctid = ANY(ARRAY(SELECT ctid FROM cache_entry WHERE deleted_at IS NOT NULL AND deleted_at <= now() - make_interval(secs => 3600) LIMIT 200 FOR UPDATE SKIP LOCKED)) AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off';
SQL
deleted=$(( ROWS * 3 / 10 ))
seed
start=$(date +%s%N)
psql -q "$PGURL" -c "DELETE FROM cache_entry WHERE deleted_at <= now() - interval '1 hour'"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "single DELETE of $deleted deleted rows: $ms ms = $(( deleted * 1000 / ms )) rows/s"
for clients in 1 2; do
  seed
  start=$(date +%s%N)
  pgbench -n -c $clients -j $clients -t $(( deleted / 200 / clients )) -f "$batch" "$PGURL" > /dev/null
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "200-row SKIP LOCKED batches, $clients client(s): $deleted rows in $ms ms = $(( deleted * 1000 / ms )) rows/s"
done
rm -f "$batch"
