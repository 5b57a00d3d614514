from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Options:
    """A storage's settings beyond hishel's, with their defaults (README.md lists them)."""

    #: Put before hishel's key to make the entry's cacheKey: the caches of several applications stay apart.
    key_prefix: str = "hishel:"
    #: Bodies up to this many bytes travel base64 in the entry's JSON; larger ones stream as bytes.
    inline_body_limit: int = 256 * 1024
    #: Seconds any one read or write of a call to cachekeeper may take before the call counts as failed.
    timeout: float = 5.0
    #: Seconds to connect to cachekeeper.
    connect_timeout: float = 1.0
    #: Tries again after an update lost to a concurrent writer (412).
    update_retries: int = 3
    #: After a failure is logged, further ones are counted, not logged, until this many seconds pass without one.
    quiet: float = 30.0

    def client_settings(self, base_url: str | None, username: str | None, password: str | None) -> dict[str, Any]:
        """The settings of the httpx client a storage makes when the user gives none."""
        if base_url is None:
            raise ValueError("give base_url (and username and password), or a client of your own")
        return {
            "base_url": base_url,
            "auth": None if username is None else httpx.BasicAuth(username, password or ""),
            "timeout": httpx.Timeout(self.timeout, connect=self.connect_timeout),
            "headers": {"accept": "application/json"},
        }
