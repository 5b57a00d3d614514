"""The mapping's rules on their own: ids, TTL rounding, expiry."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from cachekeeper_hishel._mapping import Expiry, idle_restart, route_id, ttl_seconds


def test_an_id_names_its_keys_route_as_the_services_ids_do() -> None:
    key = "hishel:GET https://example.com/a"
    ids = {route_id(key) for _ in range(50)}
    assert len(ids) == 50
    for entry_id in ids:
        assert entry_id.bytes[:4] == hashlib.md5(key.encode()).digest()[:4]
        assert entry_id.version == 8


def test_ttls_round_up_to_whole_seconds() -> None:
    assert ttl_seconds(0) == 0
    assert ttl_seconds(-3) == 0
    assert ttl_seconds(0.2) == 1
    assert ttl_seconds(60) == 60
    assert ttl_seconds(60.5) == 61


def test_no_limit_is_never_expiring_whatever_the_services_default() -> None:
    assert Expiry(None, None).fields(now=1000.0) == {"neverExpires": True}
    assert Expiry(None, None).expires_at(1000.0) is None


def test_the_earlier_of_ttl_and_idle_time_wins() -> None:
    assert Expiry(1060.0, None).fields(now=1000.0) == {"ttlSeconds": 60}
    assert Expiry(1060.0, 10.0).fields(now=1000.0) == {"ttlSeconds": 10}
    assert Expiry(1060.0, 10.0).expires_at(1055.0) == 1060.0
    assert Expiry(None, 10.0).fields(now=1000.5) == {"ttlSeconds": 10}
    assert Expiry(1000.0, None).fields(now=1000.0) == {"ttlSeconds": 0}


def test_a_hit_restarts_the_idle_time_only_past_its_half() -> None:
    def stored(expires_at: float) -> dict[str, object]:
        return {"expiresAt": datetime.fromtimestamp(expires_at, UTC).isoformat()}

    idle = Expiry(None, 10.0)
    assert idle_restart(stored(1010.0), idle, now=1000.0) is None  # stored at 1000: nothing passed
    assert idle_restart(stored(1010.0), idle, now=1004.0) is None  # under half
    assert idle_restart(stored(1010.0), idle, now=1005.5) == 10  # past half: restarted
    assert idle_restart(stored(1010.0), Expiry(1016.5, 10.0), now=1008.0) == 9  # capped by the TTL's deadline
    assert idle_restart(stored(1010.0), Expiry(1012.0, 10.0), now=1006.0) is None  # the deadline leaves little to gain
    assert idle_restart(stored(1010.0), Expiry(1010.0, None), now=1009.0) is None  # no idle time
