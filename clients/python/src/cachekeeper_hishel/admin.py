"""
The operators' side of cachekeeper from Python, for an ``admin`` user: the recycle bin, bulk restore,
invalidation by key, URL prefix or tag, the cleanup pass and the statistics. Calls of the HTTP API
(docs/api.md), nothing more: every failure raises ``CachekeeperError`` or an ``httpx`` error.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

import httpx

from ._errors import CachekeeperError, expect, next_page
from ._options import Options

__all__ = ["CachekeeperAdmin", "CachekeeperError"]


class CachekeeperAdmin:
    def __init__(
        self,
        base_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        client: httpx.Client | None = None,
        timeout: float = 60.0,
    ) -> None:
        settings = Options(timeout=timeout)
        self._owns_client = client is None
        self._client = client or httpx.Client(**settings.client_settings(base_url, username, password))

    def recycle_bin(
        self,
        *,
        states: Sequence[str] = ("deleted",),
        key: str | None = None,
        url_prefix: str | None = None,
        tags: Sequence[str] = (),
        deleted_after: datetime | None = None,
        deleted_before: datetime | None = None,
        include_body: bool = False,
        page_size: int = 100,
    ) -> Iterator[dict[str, Any]]:
        """Entries across keys (``GET /admin/entries``), newest deletion first for deleted states, page by page."""
        params = _filters(key, url_prefix, tags, deleted_after, deleted_before)
        params += [("state", state) for state in states]
        params += [("includeBody", "true" if include_body else "false"), ("limit", str(page_size))]
        url: str | None = "/admin/entries"
        query: httpx.QueryParams | None = httpx.QueryParams(params)
        while url is not None:
            page = expect(self._client.get(url, params=query), 200)
            yield from page.json()
            url, query = next_page(page), None

    def restore(
        self,
        *,
        key: str | None = None,
        url_prefix: str | None = None,
        tags: Sequence[str] = (),
        deleted_after: datetime | None = None,
        deleted_before: datetime | None = None,
        dry_run: bool = False,
    ) -> dict[str, int]:
        """Restores every matching entry still in its grace period: ``{"restored": n, "skipped": m}``."""
        params = _filters(key, url_prefix, tags, deleted_after, deleted_before)
        if dry_run:
            params.append(("dryRun", "true"))
        answer: dict[str, int] = expect(
            self._client.post("/admin/entries/restore", params=httpx.QueryParams(params)), 200
        ).json()
        return answer

    def invalidate(self, *, key: str | None = None, url_prefix: str | None = None, tags: Sequence[str] = ()) -> int:
        """Soft-deletes every live entry under a key, under a URL prefix, or carrying any of the tags: how many."""
        params = _filters(key, url_prefix, tags, None, None)
        return int(expect(self._client.delete("/entries", params=httpx.QueryParams(params)), 200).json()["deleted"])

    def cleanup(self, *, dry_run: bool = False) -> dict[str, Any]:
        """Runs one cleanup pass now (or counts what it would purge): the pass's report."""
        params = {"dryRun": "true"} if dry_run else {}
        report: dict[str, Any] = expect(self._client.post("/admin/cleanup", params=params), 200).json()
        return report

    def cleanup_status(self) -> dict[str, Any]:
        status: dict[str, Any] = expect(self._client.get("/admin/cleanup"), 200).json()
        return status

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = expect(self._client.get("/admin/stats"), 200).json()
        return stats

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> CachekeeperAdmin:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _filters(
    key: str | None,
    url_prefix: str | None,
    tags: Sequence[str],
    deleted_after: datetime | None,
    deleted_before: datetime | None,
) -> list[tuple[str, str | int | float | bool | None]]:
    if isinstance(tags, str):
        raise TypeError("tags is a sequence of tags, not one string")
    params: list[tuple[str, str | int | float | bool | None]] = [("key", key), ("urlPrefix", url_prefix)]
    params += [("tag", tag) for tag in tags]
    params += [("deletedAfter", _instant(deleted_after)), ("deletedBefore", _instant(deleted_before))]
    return [(name, value) for name, value in params if value is not None]


def _instant(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("give the time with its offset (a timezone-aware datetime)")
    return moment.isoformat()
