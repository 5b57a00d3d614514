"""A 1 GiB response cached and served through hishel and httpx, with the Python process's memory bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from tests.support.origin import Origin

SIZE = int(os.environ.get("CACHEKEEPER_LARGE_BODY_BYTES", str(1 << 30)))
MAX_GROWTH = 64 << 20

CLIENT = """
import hashlib, os, sys, threading, time
from hishel.httpx import CacheClient
from cachekeeper_hishel import SyncCachekeeperStorage

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

peak, done = 0, threading.Event()
def sample():  # the resident set every 20 ms, while the transfers run
    global peak
    while not done.is_set():
        peak = max(peak, rss())
        time.sleep(0.02)

base_url, password, prefix, url = sys.argv[1:]
storage = SyncCachekeeperStorage(base_url, username="writer", password=password, key_prefix=prefix, timeout=60)
with CacheClient(storage=storage) as client:
    client.get(url.replace("/large/", "/warm/").split("?")[0])  # the imports and the connections, before the baseline
    baseline = rss()
    sampler = threading.Thread(target=sample)
    sampler.start()
    for _ in range(2):
        digest, size = hashlib.sha256(), 0
        with client.stream("GET", url) as response:
            for chunk in response.iter_raw():
                digest.update(chunk)
                size += len(chunk)
            print(response.extensions["caching"]["from_cache"], size, digest.hexdigest())
    done.set()
    sampler.join()
    print(peak - baseline, baseline)
"""


def test_a_gibibyte_is_cached_and_served_with_the_rss_growing_at_most_64_mib(
    storage_settings: dict[str, Any], origin: Origin
) -> None:
    url = f"{origin.url}/large/{storage_settings['key_prefix']}?size={SIZE}"
    args = [storage_settings["base_url"], storage_settings["password"], storage_settings["key_prefix"], url]
    run = subprocess.run([sys.executable, "-c", CLIENT, *args], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    first, second, memory = run.stdout.splitlines()
    growth, baseline = map(int, memory.split())
    stored, served = first.split(), second.split()
    assert stored[:2] == ["False", str(SIZE)]
    assert served == ["True", str(SIZE), stored[2]]  # the same bytes, from the cache
    assert origin.hits[f"/large/{storage_settings['key_prefix']}"] == 1
    print(f"RSS {baseline / 2**20:.1f} MiB, growth while {SIZE} bytes were stored and served: {growth / 2**20:.1f} MiB")
    assert growth <= MAX_GROWTH
