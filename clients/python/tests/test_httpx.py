"""hishel's httpx clients on cachekeeper, as a user plugs the storage in: shared, Vary-aware, revalidated in place."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx
import pytest
from hishel.httpx import AsyncCacheClient, CacheClient

from cachekeeper_hishel import AsyncCachekeeperStorage, SyncCachekeeperStorage
from tests.support.origin import Origin, body_of

SHARED_CLIENT = """
import sys
from hishel.httpx import CacheClient
from cachekeeper_hishel import SyncCachekeeperStorage

base_url, password, prefix, url = sys.argv[1:]
storage = SyncCachekeeperStorage(base_url, username="writer", password=password, key_prefix=prefix)
with CacheClient(storage=storage) as client:
    response = client.get(url)
    print(response.status_code, response.extensions["caching"]["from_cache"], len(response.content))
"""


def test_a_second_process_is_served_from_the_cache_without_reaching_the_origin(
    storage_settings: dict[str, Any], origin: Origin
) -> None:
    url = f"{origin.url}/shared/{storage_settings['key_prefix']}?size=1000"
    args = [storage_settings["base_url"], storage_settings["password"], storage_settings["key_prefix"], url]
    first = subprocess.run([sys.executable, "-c", SHARED_CLIENT, *args], capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", SHARED_CLIENT, *args], capture_output=True, text=True, check=True)
    assert first.stdout.split() == ["200", "False", "1000"]
    assert second.stdout.split() == ["200", "True", "1000"]
    assert origin.hits[f"/shared/{storage_settings['key_prefix']}"] == 1


async def test_the_async_client_is_served_from_the_cache(storage_settings: dict[str, Any], origin: Origin) -> None:
    path = f"/async/{storage_settings['key_prefix']}"
    async with AsyncCacheClient(storage=AsyncCachekeeperStorage(**storage_settings)) as client:
        first = await client.get(f"{origin.url}{path}?size=2000")
        second = await client.get(f"{origin.url}{path}?size=2000")
    assert (first.extensions["caching"]["from_cache"], second.extensions["caching"]["from_cache"]) == (False, True)
    assert second.content == first.content == b"".join(body_of(2000))
    assert origin.hits[path] == 1


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_variants_by_vary_are_kept_apart(kind: str, storage_settings: dict[str, Any], origin: Origin) -> None:
    path = f"/vary/{kind}/{storage_settings['key_prefix']}"
    answers = []
    if kind == "sync":
        with CacheClient(storage=SyncCachekeeperStorage(**storage_settings), rfc=True) as client:
            for language in ["en", "fr", "en", "fr"]:
                answers.append(client.get(f"{origin.url}{path}", headers={"accept-language": language}))
    else:
        async with AsyncCacheClient(storage=AsyncCachekeeperStorage(**storage_settings), rfc=True) as aclient:
            for language in ["en", "fr", "en", "fr"]:
                answers.append(await aclient.get(f"{origin.url}{path}", headers={"accept-language": language}))
    assert [a.text for a in answers] == ["hello in en", "hello in fr", "hello in en", "hello in fr"]
    assert [a.extensions["caching"]["from_cache"] for a in answers] == [False, False, True, True]
    assert origin.hits[path] == 2


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_304_updates_the_entry_in_place_without_uploading_its_body_again(
    kind: str, storage_settings: dict[str, Any], origin: Origin, api: httpx.Client
) -> None:
    calls: list[str] = []
    size = 3 * 1024 * 1024  # over the inline limit: uploaded as bytes
    path = f"/revalidated/{kind}/{storage_settings['key_prefix']}"
    settings = {**storage_settings}
    client_settings: dict[str, Any] = {
        "base_url": settings.pop("base_url"),
        "auth": ("writer", settings.pop("password")),
    }
    answers = []
    if kind == "sync":
        hooks = {"request": [lambda r: calls.append(f"{r.method} {r.url.path}")]}
        storage = SyncCachekeeperStorage(**settings, client=httpx.Client(**client_settings, event_hooks=hooks))
        with CacheClient(storage=storage, rfc=True) as client:
            for mark in ["one", "two"]:
                answers.append(client.get(f"{origin.url}{path}?size={size}", headers={"x-mark": mark}))
    else:

        async def record(r: httpx.Request) -> None:
            calls.append(f"{r.method} {r.url.path}")

        astorage = AsyncCachekeeperStorage(
            **settings, client=httpx.AsyncClient(**client_settings, event_hooks={"request": [record]})
        )
        async with AsyncCacheClient(storage=astorage, rfc=True) as aclient:
            for mark in ["one", "two"]:
                answers.append(await aclient.get(f"{origin.url}{path}?size={size}", headers={"x-mark": mark}))

    expected = b"".join(body_of(size))
    assert [a.content == expected for a in answers] == [True, True]
    assert answers[1].extensions["caching"] == {"from_cache": True, "revalidated": True, "stored": False}
    assert origin.revalidations[path] == 1
    assert calls.count("POST /bodies") == 1  # the first response's; the 304 sent none
    assert any(call.startswith("PUT /entries/") for call in calls)
    [entry] = api.get("/admin/entries", params={"state": "live", "urlPrefix": f"{origin.url}{path}"}).json()
    assert entry["version"] == 2
    assert entry["response"]["bodySize"] == size
    assert entry["response"]["headers"]["x-checked"] == ["two"]
