"""The storage for threads: ``_async.py`` is the same storage for asyncio; keep the two alike."""

from __future__ import annotations

import contextlib
import queue
import threading
import time as clock
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from time import time
from typing import Any

import httpx
from hishel import BaseStorage, Entry, Headers, Request, Response

from ._burst_log import BurstLog
from ._errors import CachekeeperError, expect, next_page
from ._mapping import Expiry, idle_restart, inline_body, new_entry_json, request_of, route_id, with_headers, with_ttl
from ._options import Options


class SyncCachekeeperStorage(BaseStorage):
    """
    A hishel storage on cachekeeper, for ``hishel.httpx.CacheClient`` and other synchronous clients: every
    process and pod that uses it shares one persistent HTTP cache. A removed entry is soft-deleted, restorable
    through the service's grace period (``restore_entry``), and purged by the service's batch cleanup; entries
    expire by hishel's TTL and TTI.

    It never fails the request it serves: a lookup that fails is a miss, a write that fails leaves the response
    uncached, and each burst of failures is logged once (logger ``cachekeeper_hishel``).
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        client: httpx.Client | None = None,
        default_ttl: float | None = None,
        default_tti: float | None = None,
        max_stream_size: int | None = None,
        key_prefix: str = Options.key_prefix,
        inline_body_limit: int = Options.inline_body_limit,
        timeout: float = Options.timeout,
        connect_timeout: float = Options.connect_timeout,
        update_retries: int = Options.update_retries,
        quiet: float = Options.quiet,
    ) -> None:
        super().__init__(default_ttl=default_ttl, default_tti=default_tti, max_stream_size=max_stream_size)
        self._options = Options(key_prefix, inline_body_limit, timeout, connect_timeout, update_retries, quiet)
        self._owns_client = client is None
        self._client = client or httpx.Client(**self._options.client_settings(base_url, username, password))
        self._log = BurstLog(quiet)

    def create_entry(
        self,
        request: Request,
        response: Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> Entry:
        now = time()
        deadline, idle = self._limits(ttl, tti, now)
        cache_key = self._options.key_prefix + key
        entry_id = route_id(cache_key)
        body = response.stream if isinstance(response.stream, Iterator) else iter([])
        save = _Save(self, entry_id, cache_key, request, response, Expiry(deadline, idle))
        return Entry(id=entry_id, request=request, response=replace(response, stream=save.through(body)))

    def get_entries(self, key: str) -> list[Entry]:
        try:
            stored = self._entries_under(self._options.key_prefix + key)
        except (httpx.HTTPError, CachekeeperError, ValueError, KeyError) as error:
            self._log.failure("a lookup", "a miss", error)
            return []
        self._log.success()
        now = time()
        entries = []
        for entry in stored:
            expiry = Expiry.of(entry["metadata"])
            if expiry.tti is not None:
                self._restart_idle(entry, expiry, now)
            response = entry["response"]
            entries.append(
                Entry(
                    id=uuid.UUID(entry["id"]),
                    request=request_of(entry),
                    response=Response(response["status"], Headers(response["headers"]), self._body(entry)),
                )
            )
        return entries

    def update_headers(self, id: uuid.UUID, headers: Headers) -> None:
        try:
            self._update(id, lambda entry: with_headers(entry, headers))
            self._log.success()
        except (httpx.HTTPError, CachekeeperError, ValueError, KeyError) as error:
            self._log.failure("an update", "the entry keeps its headers", error)

    def remove_entry(self, id: uuid.UUID) -> None:
        try:
            expect(self._client.delete(f"/entries/{id}"), 200, 404)
            self._log.success()
        except (httpx.HTTPError, CachekeeperError) as error:
            self._log.failure("a removal", "the entry can still be served", error)

    @property
    def failures(self) -> int:
        """How many calls to cachekeeper failed since this storage was made (each a miss or a response not stored)."""
        return self._log.failures

    def restore_entry(self, id: uuid.UUID) -> bool:
        """
        Undo ``remove_entry`` within the service's grace period: True when the entry is live again, False when it
        is gone, was not removed, or its grace period is over. Faults raise: this is an operator's call.
        """
        response = expect(self._client.post(f"/entries/{id}/restore"), 200, 404, 409, 410)
        return response.status_code == 200

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def _entries_under(self, cache_key: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        url: str | None = "/entries"
        params: dict[str, str] | None = {"key": cache_key}
        while url is not None:
            page = expect(self._client.get(url, params=params), 200)
            entries.extend(page.json())
            url, params = next_page(page), None
        return entries

    def _restart_idle(self, entry: dict[str, Any], expiry: Expiry, now: float) -> None:
        """Restarts an entry's time-to-idle once half of it has passed, so that most hits write nothing."""
        seconds = idle_restart(entry, expiry, now)
        if seconds is None:
            return
        etag = {"If-Match": f'"{entry["version"]}"'}
        try:
            if seconds == entry["ttlSeconds"]:
                answer = self._client.post(f"/entries/{entry['id']}/refresh", headers=etag)
            else:
                answer = self._client.put(f"/entries/{entry['id']}", json=with_ttl(entry, seconds), headers=etag)
            # Another process restarting it first (412), or a removal (404, 409), is as good.
            expect(answer, 200, 404, 409, 412)
        except (httpx.HTTPError, CachekeeperError) as error:
            self._log.failure("a time-to-idle restart", "the entry expires sooner", error)

    def _update(self, id: uuid.UUID, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        """Read, change, write back with If-Match; again on 412. An entry gone or removed is left alone."""
        for _ in range(self._options.update_retries + 1):
            read = expect(self._client.get(f"/entries/{id}"), 200, 404)
            entry = read.json()
            if read.status_code == 404 or entry["deletedAt"] is not None:
                return
            headers = {"If-Match": read.headers["etag"]}
            written = expect(
                self._client.put(f"/entries/{id}", json=change(entry), headers=headers), 200, 404, 409, 412
            )
            if written.status_code != 412:
                return
        raise CachekeeperError(412, {"title": "Precondition Failed", "detail": "changed by others at every try"})

    def _body(self, entry: dict[str, Any]) -> Iterator[bytes]:
        inline = inline_body(entry)
        if inline is not None:
            if inline:
                yield inline
            return
        size, read = entry["response"]["bodySize"], 0
        url = f"/entries/{entry['id']}/body"
        with self._client.stream("GET", url, headers={"accept": "application/octet-stream"}) as response:
            expect(response, 200)
            for chunk in response.iter_bytes():
                read += len(chunk)
                yield chunk
        if read != size:
            raise CachekeeperError(502, {"detail": f"the body ended after {read} of {size} bytes"})

    def _post_entry(self, body: dict[str, Any]) -> None:
        expect(self._client.post("/entries", json=body), 201)

    def _upload(self, cache_key: str, chunks: Iterator[bytes]) -> str:
        answer = self._client.post(
            "/bodies",
            params={"key": cache_key},
            content=chunks,
            headers={"content-type": "application/octet-stream"},
        )
        return str(expect(answer, 201).json()["id"])


class _Aborted(Exception):
    """Ends an upload's request part way, so that the service removes what it received."""


class _Upload:
    """``POST /bodies`` on a thread of its own, fed chunk by chunk through a small queue."""

    def __init__(self, storage: SyncCachekeeperStorage, cache_key: str) -> None:
        self._storage = storage
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._body_id: str | None = None
        self._aborted = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(cache_key,), daemon=True, name="cachekeeper-upload")
        self._thread.start()

    def _run(self, cache_key: str) -> None:
        try:
            self._body_id = self._storage._upload(cache_key, self._chunks())
        except BaseException as error:  # handed to the thread that waits for it
            self._error = error

    def _chunks(self) -> Iterator[bytes]:
        while (chunk := self._queue.get()) is not None:
            yield chunk
        if self._aborted:
            raise _Aborted()

    def send(self, chunk: bytes | None) -> None:
        """Hands a chunk over; the consumer waits while the upload is behind, never longer than a write."""
        deadline = clock.monotonic() + self._storage._options.timeout
        while clock.monotonic() < deadline:
            if not self._thread.is_alive():
                self._raise()
                raise _Aborted("the upload ended before its body")
            try:
                self._queue.put(chunk, timeout=0.05)
                return
            except queue.Full:
                continue
        raise TimeoutError("the upload took no bytes in time")

    def finish(self) -> str:
        self.send(None)
        self._thread.join(self._storage._options.timeout)
        if self._thread.is_alive():
            raise TimeoutError("the upload was not answered in time")
        self._raise()
        assert self._body_id is not None
        return self._body_id

    def abort(self) -> None:
        self._aborted = True
        with contextlib.suppress(queue.Full, queue.Empty):
            while True:
                self._queue.get_nowait()
        with contextlib.suppress(queue.Full, queue.Empty):
            self._queue.put_nowait(None)
        self._thread.join(self._storage._options.timeout)

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error


class _Save:
    """
    One response being stored while its consumer reads it: a body up to the inline limit goes in the entry's
    JSON; past it, the body streams to ``POST /bodies`` as it arrives. The entry is written once the stream has
    ended, so a stream that breaks off, or a consumer that stops reading, stores nothing (the service removes a
    broken-off upload).
    """

    def __init__(
        self,
        storage: SyncCachekeeperStorage,
        entry_id: uuid.UUID,
        cache_key: str,
        request: Request,
        response: Response,
        expiry: Expiry,
    ) -> None:
        self._storage = storage
        self._entry_id = entry_id
        self._cache_key = cache_key
        self._request = request
        self._response = response
        self._expiry = expiry
        self._buffer = bytearray()
        self._size = 0
        self._upload: _Upload | None = None

    def through(self, stream: Iterator[bytes]) -> Iterator[bytes]:
        saving, stored = True, False
        try:
            for chunk in stream:
                if saving:
                    saving = self._step(lambda chunk=chunk: self._add(chunk))  # type: ignore[misc]
                yield chunk
            if saving:
                stored = self._step(self._finish)
        finally:
            if not stored:
                self._abort()

    def _step(self, step: Callable[[], None]) -> bool:
        try:
            step()
            return True
        except (httpx.HTTPError, CachekeeperError, TimeoutError, ValueError, KeyError, _Aborted) as error:
            self._storage._log.failure("a write", "the response is not stored", error)
            self._abort()
            return False

    def _add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        limit = self._storage.max_stream_size
        if limit is not None and self._size > limit:
            raise ValueError(f"the body passed max_stream_size ({limit} bytes)")
        if self._upload is None:
            self._buffer += chunk
            if len(self._buffer) > self._storage._options.inline_body_limit:
                self._upload = _Upload(self._storage, self._cache_key)
                self._upload.send(bytes(self._buffer))
                self._buffer.clear()
        elif chunk:
            self._upload.send(chunk)

    def _finish(self) -> None:
        body_id = None if self._upload is None else self._upload.finish()
        body = bytes(self._buffer) if self._upload is None else None
        self._storage._post_entry(
            new_entry_json(
                self._entry_id,
                self._cache_key,
                self._request,
                self._response,
                self._expiry,
                time(),
                body=body,
                body_id=body_id,
            )
        )
        self._storage._log.success()

    def _abort(self) -> None:
        upload, self._upload = self._upload, None
        if upload is not None:
            upload.abort()
