"""How a hishel entry and a cachekeeper entry map onto each other: one place for both storages."""

from __future__ import annotations

import base64
import hashlib
import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hishel import Headers, Request, Response

# cachekeeper keeps hishel's expiry settings under this metadata member, so that a lookup can restart an
# entry's time-to-idle without a TTL outliving the deadline hishel set.
METADATA_KEY = "hishel"


def route_id(cache_key: str) -> uuid.UUID:
    """
    A new entry id that names its key's route, as the service's own ids do (docs/scale.md): the first 32 bits
    of the key's MD5, then random bits, a version 8 UUID. On Citus such an id needs no row in the id map.
    """
    route = hashlib.md5(cache_key.encode(), usedforsecurity=False).digest()[:4]
    random = bytearray(uuid.uuid4().bytes)
    random[0:4] = route
    random[6] = (random[6] & 0x0F) | 0x80  # version 8; uuid4 set the variant bits already
    return uuid.UUID(bytes=bytes(random))


def ttl_seconds(seconds: float) -> int:
    """
    A TTL in the whole seconds cachekeeper stores, rounded up: an entry is never dropped before hishel's TTL
    says, and lives at most a second longer. A TTL of 0 (or less) expires at once.
    """
    return max(0, math.ceil(seconds))


@dataclass(frozen=True)
class Expiry:
    """hishel's limits of one entry: the TTL's deadline (epoch seconds) and the time-to-idle, each optional."""

    ttl_deadline: float | None
    tti: float | None

    def expires_at(self, now: float) -> float | None:
        """When the entry expires if it is returned at ``now``, or None if it never does."""
        limits = [
            limit for limit in (self.ttl_deadline, None if self.tti is None else now + self.tti) if limit is not None
        ]
        return min(limits, default=None)

    def fields(self, now: float) -> dict[str, Any]:
        """The write's TTL fields: ``ttlSeconds``, or ``neverExpires`` (whatever the service's default TTL is)."""
        expires = self.expires_at(now)
        if expires is None:
            return {"neverExpires": True}
        return {"ttlSeconds": ttl_seconds(expires - now)}

    def metadata(self) -> dict[str, Any]:
        return {METADATA_KEY: {"ttlDeadline": self.ttl_deadline, "tti": self.tti}}

    @staticmethod
    def of(metadata: dict[str, Any]) -> Expiry:
        own = metadata.get(METADATA_KEY) or {}
        return Expiry(own.get("ttlDeadline"), own.get("tti"))


def headers_json(headers: Headers) -> dict[str, list[str]]:
    return {name: list(headers.get_list(name) or []) for name in headers}


def new_entry_json(
    entry_id: uuid.UUID,
    cache_key: str,
    request: Request,
    response: Response,
    expiry: Expiry,
    now: float,
    *,
    body: bytes | None = None,
    body_id: str | None = None,
) -> dict[str, Any]:
    """The body of ``POST /entries``: the body inline (base64) or an upload's id."""
    stored: dict[str, Any] = {"status": response.status_code, "headers": headers_json(response.headers)}
    if body_id is not None:
        stored["bodyId"] = body_id
    elif body:
        stored["body"] = base64.b64encode(body).decode()
    return {
        "id": str(entry_id),
        "cacheKey": cache_key,
        "request": {"method": request.method, "url": request.url, "headers": headers_json(request.headers)},
        "response": stored,
        "metadata": expiry.metadata(),
        **expiry.fields(now),
    }


def with_headers(entry: dict[str, Any], headers: Headers) -> dict[str, Any]:
    """The body of the ``PUT`` that changes a stored entry's response headers and keeps its body and TTL."""
    return {
        "cacheKey": entry["cacheKey"],
        "request": entry["request"],
        "response": {"status": entry["response"]["status"], "headers": headers_json(headers), "keepBody": True},
        "metadata": entry["metadata"],
        "tags": entry["tags"],
    }


def with_ttl(entry: dict[str, Any], seconds: int) -> dict[str, Any]:
    """The body of the ``PUT`` that restarts a stored entry's TTL at ``seconds`` and keeps the rest as it is."""
    return {**with_headers(entry, Headers(entry["response"]["headers"])), "ttlSeconds": seconds}


def request_of(entry: dict[str, Any]) -> Request:
    stored = entry["request"]
    return Request(method=stored["method"], url=stored["url"], headers=Headers(stored["headers"]))


def inline_body(entry: dict[str, Any]) -> bytes | None:
    """The body the entry carries in its JSON, or None when it was uploaded as bytes (``bodySize``)."""
    response = entry["response"]
    if "bodySize" in response:
        return None
    return base64.b64decode(response.get("body") or "")


def idle_restart(entry: dict[str, Any], expiry: Expiry, now: float) -> int | None:
    """
    The TTL in seconds that restarts a stored entry's time-to-idle when it is returned at ``now``, or None while
    less than half of it has passed (most hits write nothing) or the entry has no idle time.
    """
    expires = expiry.expires_at(now)
    stored = datetime.fromisoformat(entry["expiresAt"]).timestamp() if entry["expiresAt"] else None
    if expires is None or stored is None or expiry.tti is None or expires - stored < expiry.tti / 2:
        return None
    return ttl_seconds(expires - now)
