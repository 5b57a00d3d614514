from __future__ import annotations

from typing import Any

import httpx


class CachekeeperError(Exception):
    """cachekeeper answered what the call did not expect: its status, and its problem+json when it sent one."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        super().__init__(f"{status} {problem.get('title', '')}: {problem.get('detail', '')}".strip())

    @staticmethod
    def of(response: httpx.Response) -> CachekeeperError:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        return CachekeeperError(response.status_code, problem if isinstance(problem, dict) else {})


def expect(response: httpx.Response, *statuses: int) -> httpx.Response:
    if response.status_code not in statuses:
        raise CachekeeperError.of(response)
    return response


def next_page(response: httpx.Response) -> str | None:
    """The next page's URL from the ``Link`` header, or None on the last page."""
    link = response.links.get("next")
    return None if link is None else link.get("url")
