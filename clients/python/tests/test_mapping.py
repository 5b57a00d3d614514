"""The mapping's rules on their own: ids, TTL rounding, expiry."""

from __future__ import annotations

import hashlib

from cachekeeper_hishel._mapping import Expiry, route_id, ttl_seconds


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
