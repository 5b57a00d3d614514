"""
hishel on cachekeeper against hishel's own storages, each figure a ratio measured in one run (issue 44's targets):

1. one process, a cache hit through httpx + hishel: p50 latency on cachekeeper ÷ on hishel's SQLite storage (a
   local file) and ÷ on its Redis storage (a local redis-server);
2. 8 processes sharing one cache, half hits and half writes: requests/s on cachekeeper ÷ on hishel's SQLite
   storage on one shared file, and the errors of each (SQLite's "database is locked" among them);
3. the seed's cleanup (500 entries, 200 soft-deleted past grace, 100 expired): the pass's time ÷ one DELETE of
   the same 300 rows in psql.

Run from clients/python: ``uv run python -m bench.hishel_bench`` (after the service and the Java client are
built, as for the tests). BENCH_ROUNDS (3), BENCH_HITS (2000), BENCH_SECONDS (10) tune it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hishel
from hishel.httpx import CacheClient
from tests.support import service as launcher
from tests.support.origin import Origin

from cachekeeper_hishel import CachekeeperAdmin, SyncCachekeeperStorage

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
HITS = int(os.environ.get("BENCH_HITS", "2000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
PROCESSES = 8


@contextmanager
def redis_server() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "redis-server"], check=True, capture_output=True)
        binary = "redis-server"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait()


def storages(service: launcher.Service, redis_url: str, directory: Path) -> dict[str, Callable[[], Any]]:
    import redis

    return {
        "cachekeeper": lambda: SyncCachekeeperStorage(
            service.base_url, username="writer", password=service.password, key_prefix=f"bench-{uuid.uuid4().hex}:"
        ),
        "sqlite": lambda: hishel.SqliteStorage(database_path=directory / f"{uuid.uuid4().hex}.db"),
        "redis": lambda: hishel.RedisStorage(redis.Redis.from_url(redis_url), key_prefix=f"bench-{uuid.uuid4().hex}"),
    }


def round_trip_latencies(service: launcher.Service) -> list[float]:
    """The floor of any hit on cachekeeper: httpx's one lookup of a key the service does not hold, without hishel."""
    with service.client("writer") as client:
        for _ in range(200):
            client.get("/entries", params={"key": "bench-absent"})
        times = []
        for _ in range(HITS):
            started = time.perf_counter()
            client.get("/entries", params={"key": "bench-absent"}).raise_for_status()
            times.append(time.perf_counter() - started)
    return times


def hit_latencies(make: Callable[[], Any], url: str) -> list[float]:
    with CacheClient(storage=make()) as client:
        client.get(url)  # stored
        for _ in range(200):  # warm-up
            client.get(url)
        times = []
        for _ in range(HITS):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.extensions["caching"]["from_cache"], "a hit was expected"
    return times


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.locked = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        text = record.getMessage() + (str(record.exc_info[1]) if record.exc_info else "")
        self.locked += "locked" in text


def _mixed_worker(kind: str, settings: dict[str, Any], origin_url: str, start_at: float, results: Any) -> None:
    errors = _Errors()
    logging.getLogger("hishel").addHandler(errors)
    logging.getLogger("hishel").propagate = False
    if kind == "cachekeeper":
        storage: Any = SyncCachekeeperStorage(**settings)
    else:
        storage = hishel.SqliteStorage(database_path=settings["database_path"])
    done = raised = 0
    with CacheClient(storage=storage) as client:
        time.sleep(max(0.0, start_at - time.time()))
        deadline = time.monotonic() + SECONDS
        n = 0
        while time.monotonic() < deadline:
            n += 1
            url = f"{origin_url}/hot/{n % 20}?size=2000" if n % 2 else f"{origin_url}/w/{os.getpid()}/{n}?size=2000"
            try:
                client.get(url).read()
                done += 1
            except Exception:
                raised += 1
    failures = storage.failures if kind == "cachekeeper" else errors.count
    results.put((done, raised, failures, errors.locked))


def mixed(kind: str, settings: dict[str, Any], origin: Origin) -> tuple[float, int, int, int]:
    with CacheClient(
        storage=SyncCachekeeperStorage(**settings)
        if kind == "cachekeeper"
        else hishel.SqliteStorage(database_path=settings["database_path"])
    ) as client:
        for i in range(20):  # the hot set, stored before the clock starts
            client.get(f"{origin.url}/hot/{i}?size=2000")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 3
    workers = [
        context.Process(target=_mixed_worker, args=(kind, settings, origin.url, start_at, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    counts = [results.get(timeout=SECONDS + 120) for _ in workers]
    for worker in workers:
        worker.join()
    done = sum(c[0] for c in counts)
    return done / SECONDS, sum(c[1] for c in counts), sum(c[2] for c in counts), sum(c[3] for c in counts)


def seed_scenario(service: launcher.Service) -> None:
    storage = SyncCachekeeperStorage(service.base_url, username="writer", password=service.password)
    ids = []
    for i in range(500):
        entry = storage.create_entry(
            hishel.Request("GET", f"https://scenario.example/{i}"),
            hishel.Response(200, stream=iter([b"body"])),
            f"{uuid.uuid4()}",
            ttl=0 if i < 100 else None,
        )
        b"".join(entry.response.stream)  # type: ignore[arg-type]
        ids.append(entry.id)
    for entry_id in ids[100:300]:
        storage.remove_entry(entry_id)
    storage.close()
    time.sleep(launcher.GRACE_SECONDS + 0.5)


def psql(service: launcher.Service, sql: str) -> str:
    return subprocess.run(
        ["psql", "-X", service.database_url, "-c", "\\timing on", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def cleanup_ratios(service: launcher.Service, admin: CachekeeperAdmin) -> list[tuple[float, float]]:
    rounds = []
    grace = f"interval '{launcher.GRACE_SECONDS} seconds'"
    for _ in range(ROUNDS + 1):  # the first round warms the service up
        psql(service, "TRUNCATE cache_entry")
        seed_scenario(service)
        report = admin.cleanup()
        assert report["purged"] == 300, report
        psql(service, "TRUNCATE cache_entry")
        seed_scenario(service)
        out = psql(service, f"DELETE FROM cache_entry WHERE deleted_at <= now() - {grace} OR expires_at <= now()")
        match = re.search(r"DELETE (\d+)\s+Time: ([\d.]+) ms", out)
        assert match and match.group(1) == "300", out
        rounds.append((float(report["durationMs"]), float(match.group(2))))
    return rounds[1:]


def main() -> None:
    if shutil.which("psql") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql-client"], check=True, capture_output=True)
    print(f"hishel bench, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, python {sys.version.split()[0]}")
    service = launcher.start({"CACHEKEEPER_CLEANUP_GRACE_PERIOD": f"{launcher.GRACE_SECONDS}s"})
    try:
        with Origin().running() as origin, redis_server() as redis_url, tempfile.TemporaryDirectory() as directory:
            makers = storages(service, redis_url, Path(directory))
            print(
                f"\n1. a hit through httpx + hishel, one process ({HITS} hits a round, {ROUNDS} rounds): p50 / p99 ms"
            )
            p50: dict[str, list[float]] = {name: [] for name in makers}
            for r in range(ROUNDS):
                for name, make in makers.items():
                    times = sorted(hit_latencies(make, f"{origin.url}/hit/{name}/{r}?size=2000"))
                    p50[name].append(times[len(times) // 2] * 1000)
                    print(
                        f"   round {r + 1} {name:12s} {p50[name][-1]:.3f} / {times[int(len(times) * 0.99)] * 1000:.3f}"
                    )
            floor = sorted(round_trip_latencies(service))
            print(
                f"   one lookup of the service through httpx alone: {floor[len(floor) // 2] * 1000:.3f} / "
                f"{floor[int(len(floor) * 0.99)] * 1000:.3f} (the floor of any hit on a network storage)"
            )
            ratio_sqlite = [c / s for c, s in zip(p50["cachekeeper"], p50["sqlite"], strict=True)]
            ratio_redis = [c / s for c, s in zip(p50["cachekeeper"], p50["redis"], strict=True)]
            print(f"   cachekeeper ÷ sqlite: {_range(ratio_sqlite)} (target ≤ 3)")
            print(f"   cachekeeper ÷ redis:  {_range(ratio_redis)} (target ≤ 2)")

            print(f"\n2. {PROCESSES} processes, half hits and half writes, {SECONDS:.0f} s each")
            keeper = {
                "base_url": service.base_url,
                "username": "writer",
                "password": service.password,
                "key_prefix": f"mixed-{uuid.uuid4().hex}:",
            }
            rates = []
            for r in range(ROUNDS):
                ck = mixed("cachekeeper", keeper, origin)
                sq = mixed("sqlite", {"database_path": str(Path(directory) / f"shared-{r}.db")}, origin)
                rates.append(ck[0] / sq[0])
                print(
                    f"   round {r + 1} cachekeeper {ck[0]:.0f} req/s, {ck[1]} raised, {ck[2]} storage errors | "
                    f"sqlite {sq[0]:.0f} req/s, {sq[1]} raised, {sq[2]} storage errors ({sq[3]} 'database is locked')"
                )
            print(f"   cachekeeper ÷ sqlite requests/s: {_range(rates)} (target ≥ 0.7, 0 errors through cachekeeper)")

            print("\n3. the seed's cleanup: 500 entries, 300 due (200 deleted past grace, 100 expired)")
            with CachekeeperAdmin(service.base_url, username="admin", password=service.password) as admin:
                rounds = cleanup_ratios(service, admin)
            for i, (pass_ms, delete_ms) in enumerate(rounds):
                print(f"   round {i + 1} pass {pass_ms:.1f} ms, one DELETE in psql {delete_ms:.1f} ms")
            print(f"   pass ÷ DELETE: {_range([p / d for p, d in rounds])}")
    finally:
        service.stop()


def _range(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (range {min(values):.2f}-{max(values):.2f})"


if __name__ == "__main__":
    main()
