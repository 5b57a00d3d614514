"""
The cache's failures never fail the user's request: with cachekeeper down, hung or answering 503, every request
through hishel is answered by the origin, within the storage's timeouts, and each burst is logged once. Real
faults on the loopback: a port nobody listens on, a server that accepts and never answers, one that answers 503.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hishel.httpx import AsyncCacheClient, CacheClient

from cachekeeper_hishel import AsyncCachekeeperStorage, SyncCachekeeperStorage
from tests.support.origin import Origin

TIMEOUT = 0.5


@contextmanager
def nobody_listening() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield f"http://127.0.0.1:{port}"


@contextmanager
def never_answering() -> Iterator[str]:
    """Accepts connections and reads nothing: a stopped process (kill -STOP) looks the same from outside."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()


@contextmanager
def answering_503() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _unavailable(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            problem = json.dumps(
                {"status": 503, "title": "Service Unavailable", "detail": "the database is unavailable"}
            )
            self.send_response(503)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", str(len(problem)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(problem.encode())

        do_GET = do_POST = do_PUT = do_DELETE = _unavailable

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


FAULTS = {"down": nobody_listening, "hung": never_answering, "503": answering_503}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_requests_succeed_from_the_origin_and_a_burst_is_logged_once(
    fault: str, kind: str, origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    path = f"/fault/{fault}/{kind}"
    statuses = []
    with FAULTS[fault]() as base_url, caplog.at_level(logging.WARNING, logger="cachekeeper_hishel"):
        settings: dict[str, Any] = {
            "username": "writer",
            "password": "x",
            "timeout": TIMEOUT,
            "connect_timeout": TIMEOUT,
        }
        started = time.monotonic()
        if kind == "sync":
            with CacheClient(storage=SyncCachekeeperStorage(base_url, **settings)) as client:
                for _ in range(5):
                    statuses.append(client.get(f"{origin.url}{path}?size=100").status_code)
        else:
            async with AsyncCacheClient(storage=AsyncCachekeeperStorage(base_url, **settings)) as aclient:
                for _ in range(5):
                    statuses.append((await aclient.get(f"{origin.url}{path}?size=100")).status_code)
        elapsed = time.monotonic() - started

    assert statuses == [200] * 5
    assert origin.hits[path] == 5  # every request a miss, answered by the origin
    # Each request waits at most a lookup and a write, each within the timeout (a read and a connect).
    assert elapsed < 5 * 2 * 2 * TIMEOUT + 2
    warnings = [r for r in caplog.records if r.name == "cachekeeper_hishel"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "a lookup failed (a miss)" in warnings[0].getMessage()
