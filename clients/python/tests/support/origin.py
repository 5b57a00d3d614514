"""An origin server for the tests: real HTTP on the loopback, counting the requests it answers per path."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PATTERN = bytes(range(256)) * 256  # 64 KiB that a test can check a body against


def body_of(size: int) -> Iterator[bytes]:
    """``size`` bytes of the repeating pattern, in 64 KiB pieces."""
    sent = 0
    while sent < size:
        piece = PATTERN[: min(len(PATTERN), size - sent)]
        sent += len(piece)
        yield piece


class Origin:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.revalidations: Counter[str] = Counter()
        self._lock = threading.Lock()
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {name: values[0] for name, values in parse_qs(url.query).items()}
                with origin._lock:
                    origin.hits[url.path] += 1
                size = int(query.get("size", "5"))
                etag = '"' + hashlib.sha256(f"{url.path}{size}".encode()).hexdigest()[:16] + '"'
                if url.path.startswith("/revalidated"):
                    # Stored, but to be checked with the origin at every use (RFC 9111, no-cache).
                    if self.headers.get("If-None-Match") == etag:
                        with origin._lock:
                            origin.revalidations[url.path] += 1
                        self._head(
                            304,
                            {"ETag": etag, "Cache-Control": "no-cache", "X-Checked": self.headers.get("X-Mark", "")},
                        )
                        return
                    self._send(200, {"ETag": etag, "Cache-Control": "no-cache"}, size)
                elif url.path.startswith("/vary"):
                    language = self.headers.get("Accept-Language", "none")
                    payload = f"hello in {language}".encode()
                    self._head(200, {"Cache-Control": "max-age=3600", "Vary": "Accept-Language"}, len(payload))
                    self.wfile.write(payload)
                elif url.path.startswith("/broken"):
                    # Promises more bytes than it sends, then closes: a stream that breaks off.
                    self._head(200, {"Cache-Control": "max-age=3600", "Connection": "close"}, size)
                    self.wfile.write(PATTERN[: size // 2] if size // 2 <= len(PATTERN) else PATTERN)
                    self.wfile.flush()
                    self.close_connection = True
                else:
                    self._send(200, {"Cache-Control": "max-age=3600", "ETag": etag}, size)

            def _head(self, status: int, headers: dict[str, str], length: int = 0) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(length))
                self.end_headers()

            def _send(self, status: int, headers: dict[str, str], size: int) -> None:
                self._head(status, {**headers, "Content-Type": "application/octet-stream"}, size)
                for piece in body_of(size):
                    self.wfile.write(piece)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[Origin]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
