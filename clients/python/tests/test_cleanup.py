"""The seed's cleanup scenario through hishel's storage API: one pass removes exactly what is due, in batches."""

from __future__ import annotations

import time
from typing import Any

from hishel import Request, Response

from cachekeeper_hishel import CachekeeperAdmin, SyncCachekeeperStorage
from tests.support.service import GRACE_SECONDS


def test_one_pass_purges_the_300_due_entries_of_500_in_batches_and_keeps_the_200(
    storage_settings: dict[str, Any], admin: CachekeeperAdmin, prefix: str
) -> None:
    # What earlier tests left due is purged first, so that this pass's report counts this test's entries only.
    time.sleep(GRACE_SECONDS + 0.2)
    admin.cleanup()

    storage = SyncCachekeeperStorage(**storage_settings)
    url = f"https://scenario.example/{prefix}"
    ids = []
    for i in range(500):
        # 100 expire at once (a TTL of 0); the others never do.
        ttl = 0 if i < 100 else None
        entry = storage.create_entry(
            Request("GET", f"{url}{i}"), Response(200, stream=iter([b"body"])), str(i), ttl=ttl
        )
        assert b"".join(entry.response.stream) == b"body"  # type: ignore[arg-type]
        ids.append(entry.id)
    for entry_id in ids[100:300]:
        storage.remove_entry(entry_id)
    storage.close()
    assert len(list(admin.recycle_bin(url_prefix=url, states=("deleted",)))) == 200

    time.sleep(GRACE_SECONDS + 0.5)
    report = admin.cleanup()

    assert report["completed"] is True
    assert (report["purged"], report["purgedDeleted"], report["purgedExpired"]) == (300, 200, 100)
    assert report["batches"] >= 2  # batch size 200
    kept = list(admin.recycle_bin(url_prefix=url, states=("live", "expired", "deleted", "purgeable")))
    assert sorted(e["id"] for e in kept) == sorted(str(i) for i in ids[300:])
    assert {e["state"] for e in kept} == {"live"}
