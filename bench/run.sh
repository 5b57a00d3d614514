#!/usr/bin/env bash
# Runs cachekeeper's benchmarks (see bench/README.md): packages the service, then measures the purge
# against a single-statement DELETE, batch times, memory, the API under cleanup, and the API against
# pgbench running the same SQL, in one run.
# BENCH_ROWS (default 1000000), BENCH_LOAD_THREADS (4), BENCH_SECTIONS (startup,purge,cleanup-load,stats,api,tags),
# BENCH_JDBC_URL (+ BENCH_DB_USER/PASSWORD) to use your own PostgreSQL instead of the embedded one.
# BENCH_CITUS_URL: the JDBC URL of a Citus coordinator (workers added) for section "citus" (docs/scale.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# The API section drives the service with wrk and its SQL with pgbench (Debian packages).
if ! command -v wrk > /dev/null || ! command -v pgbench > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    apt-get install -y -q wrk postgresql-client > /dev/null || echo "could not install wrk/pgbench: the API section is skipped"
  else
    echo "wrk and pgbench are not installed: the API section is skipped"
  fi
fi
./mvnw -B -q -Pbench verify
