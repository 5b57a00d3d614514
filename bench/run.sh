#!/usr/bin/env bash
# Runs cachekeeper's benchmarks (see bench/README.md): packages the service, then measures the purge
# against a single-statement DELETE, batch times, memory, and the API under cleanup, in one run.
# BENCH_ROWS (default 1000000), BENCH_LOAD_THREADS (4), BENCH_JDBC_URL (+ BENCH_DB_USER/PASSWORD) to
# use your own PostgreSQL instead of the embedded one.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -Pbench verify
