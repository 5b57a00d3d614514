"""hishel's storage API on the real service, for both storages: the lifecycle as hishel and an operator see it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from hishel import Headers, Request, Response

from cachekeeper_hishel import AsyncCachekeeperStorage, CachekeeperAdmin, SyncCachekeeperStorage
from tests.support.origin import PATTERN
from tests.support.service import GRACE_SECONDS
from tests.support.streams import chunks, read, run

KINDS = ["sync", "async"]


def storage_of(kind: str, settings: dict[str, Any]) -> Any:
    return SyncCachekeeperStorage(**settings) if kind == "sync" else AsyncCachekeeperStorage(**settings)


def request_for(url: str) -> Request:
    return Request("GET", url, Headers({"accept": ["*/*"]}))


@pytest.mark.parametrize("kind", KINDS)
async def test_a_removed_entry_is_kept_through_its_grace_period_restorable_and_then_purged(
    kind: str, storage_settings: dict[str, Any], admin: CachekeeperAdmin, api: httpx.Client, prefix: str
) -> None:
    storage = storage_of(kind, storage_settings)
    response = Response(200, Headers({"content-type": ["text/plain"]}), chunks(kind, [b"hel", b"lo"]))
    entry = await run(storage.create_entry(request_for("https://example.com/a"), response, "a"))
    assert await read(entry.response.stream) == b"hello"

    [found] = await run(storage.get_entries("a"))
    assert found.id == entry.id
    assert found.response.headers.get_list("content-type") == ["text/plain"]
    assert await read(found.response.stream) == b"hello"

    await run(storage.remove_entry(entry.id))
    assert await run(storage.get_entries("a")) == []
    stored = api.get(f"/entries/{entry.id}").json()
    assert stored["state"] == "deleted"
    assert stored["deletedAt"] is not None
    assert [e["id"] for e in admin.recycle_bin(key=prefix + "a")] == [str(entry.id)]

    assert await run(storage.restore_entry(entry.id)) is True
    [back] = await run(storage.get_entries("a"))
    assert back.id == entry.id
    assert await read(back.response.stream) == b"hello"

    await run(storage.remove_entry(entry.id))
    await run(storage.remove_entry(entry.id))  # removing a removed entry is no error
    await asyncio.sleep(GRACE_SECONDS + 0.5)
    assert await run(storage.restore_entry(entry.id)) is False  # its grace period is over
    assert admin.cleanup()["purgedDeleted"] >= 1
    assert api.get(f"/entries/{entry.id}").status_code == 404
    await run(storage.remove_entry(entry.id))  # nor is removing a purged one


@pytest.mark.parametrize("kind", KINDS)
async def test_an_entry_is_stored_only_once_its_stream_is_read_to_the_end(
    kind: str, storage_settings: dict[str, Any]
) -> None:
    storage = storage_of(kind, storage_settings)
    entry = await run(
        storage.create_entry(request_for("https://example.com/b"), Response(200, stream=chunks(kind, [b"x"] * 3)), "b")
    )
    assert await run(storage.get_entries("b")) == []  # nothing read yet
    assert await read(entry.response.stream) == b"xxx"
    assert [e.id for e in await run(storage.get_entries("b"))] == [entry.id]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("size", [10, 300_000], ids=["inline", "streamed"])
async def test_a_stream_that_breaks_off_stores_nothing(
    kind: str, size: int, storage_settings: dict[str, Any], admin: CachekeeperAdmin
) -> None:
    storage = storage_of(kind, storage_settings)
    unheld = admin.stats()["streamed"]["unheldBodies"]
    pieces = [PATTERN[: size // 4]] * 4
    response = Response(200, stream=chunks(kind, pieces, fail_after=3))
    entry = await run(storage.create_entry(request_for("https://example.com/c"), response, "c"))
    with pytest.raises(ConnectionResetError):
        await read(entry.response.stream)
    assert await run(storage.get_entries("c")) == []
    # The upload that had begun is broken off, and the service removes it at once: no bytes are left behind.
    left = [admin.stats()["streamed"]["unheldBodies"]]
    for _ in range(100):
        if left[-1] == unheld:
            break
        await asyncio.sleep(0.1)
        left.append(admin.stats()["streamed"]["unheldBodies"])
    assert left[-1] == unheld


@pytest.mark.parametrize("kind", KINDS)
async def test_a_body_over_the_inline_limit_streams_as_bytes_both_ways(
    kind: str, storage_settings: dict[str, Any], api: httpx.Client
) -> None:
    calls: list[str] = []
    body = PATTERN * 5  # 320 KiB
    settings = {**storage_settings, "inline_body_limit": 64 * 1024}
    if kind == "sync":
        storage: Any = SyncCachekeeperStorage(
            **settings,
            client=httpx.Client(
                base_url=settings.pop("base_url"),
                auth=("writer", settings.pop("password")),
                event_hooks={"request": [lambda r: calls.append(f"{r.method} {r.url.path}")]},
            ),
        )
    else:

        async def record(r: httpx.Request) -> None:
            calls.append(f"{r.method} {r.url.path}")

        storage = AsyncCachekeeperStorage(
            **settings,
            client=httpx.AsyncClient(
                base_url=settings.pop("base_url"),
                auth=("writer", settings.pop("password")),
                event_hooks={"request": [record]},
            ),
        )
    entry = await run(
        storage.create_entry(
            request_for("https://example.com/d"), Response(200, stream=chunks(kind, [PATTERN] * 5)), "d"
        )
    )
    assert await read(entry.response.stream) == body
    assert calls == ["POST /bodies", "POST /entries"]
    assert api.get(f"/entries/{entry.id}").json()["response"]["bodySize"] == len(body)

    [found] = await run(storage.get_entries("d"))
    assert await read(found.response.stream) == body
    assert calls[-1] == f"GET /entries/{entry.id}/body"


@pytest.mark.parametrize("kind", KINDS)
async def test_a_header_update_keeps_the_body_and_is_a_conditional_write(
    kind: str, storage_settings: dict[str, Any], api: httpx.Client
) -> None:
    storage = storage_of(kind, storage_settings)
    entry = await run(
        storage.create_entry(
            request_for("https://example.com/e"),
            Response(200, Headers({"etag": ['"1"']}), chunks(kind, [b"body"])),
            "e",
        )
    )
    await read(entry.response.stream)
    await run(storage.update_headers(entry.id, Headers({"etag": ['"1"'], "date": ["Mon, 07 Dec 2026 10:00:00 GMT"]})))
    stored = api.get(f"/entries/{entry.id}").json()
    assert stored["version"] == 2
    assert stored["response"]["headers"] == {"etag": ['"1"'], "date": ["Mon, 07 Dec 2026 10:00:00 GMT"]}
    [found] = await run(storage.get_entries("e"))
    assert await read(found.response.stream) == b"body"
    # An entry that is gone is left alone, as hishel asks.
    await run(storage.remove_entry(entry.id))
    await run(storage.update_headers(entry.id, Headers({"etag": ['"2"']})))
    assert api.get(f"/entries/{entry.id}").json()["response"]["headers"]["etag"] == ['"1"']


@pytest.mark.parametrize("kind", KINDS)
async def test_ttls_and_idle_times_become_the_services_expiry(
    kind: str, storage_settings: dict[str, Any], api: httpx.Client
) -> None:
    storage = storage_of(kind, storage_settings)
    forever = await run(
        storage.create_entry(request_for("https://example.com/f"), Response(200, stream=chunks(kind, [b"f"])), "f")
    )
    await read(forever.response.stream)
    timed = await run(
        storage.create_entry(
            request_for("https://example.com/g"), Response(200, stream=chunks(kind, [b"g"])), "g", ttl=90.2
        )
    )
    await read(timed.response.stream)
    idle = await run(
        storage.create_entry(
            request_for("https://example.com/h"), Response(200, stream=chunks(kind, [b"h"])), "h", ttl=600, tti=2
        )
    )
    await read(idle.response.stream)

    assert api.get(f"/entries/{forever.id}").json()["expiresAt"] is None
    assert api.get(f"/entries/{timed.id}").json()["ttlSeconds"] == 91  # rounded up
    assert api.get(f"/entries/{idle.id}").json()["ttlSeconds"] == 2

    await asyncio.sleep(1.2)  # past half the idle time: a hit restarts it
    assert len(await run(storage.get_entries("h"))) == 1
    await asyncio.sleep(1.2)  # past the first expiry, within the restarted one
    assert len(await run(storage.get_entries("h"))) == 1
    await asyncio.sleep(2.5)  # idle for longer than its idle time
    assert await run(storage.get_entries("h")) == []
