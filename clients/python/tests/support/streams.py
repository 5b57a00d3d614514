"""Both storages through one set of tests: a call's result whether it is awaited or not, a body either way."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


async def run(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def read(stream: Any) -> bytes:
    if isinstance(stream, AsyncIterator):
        return b"".join([chunk async for chunk in stream])
    return b"".join(stream)


def chunks(kind: str, pieces: Iterable[bytes], fail_after: int | None = None) -> Iterator[bytes] | AsyncIterator[bytes]:
    """A response stream for a storage of ``kind``; ``fail_after`` pieces, it breaks off as a lost connection does."""

    def plain() -> Iterator[bytes]:
        for count, piece in enumerate(pieces):
            if fail_after is not None and count == fail_after:
                raise ConnectionResetError("the origin went away")
            yield piece

    async def awaited() -> AsyncIterator[bytes]:
        for piece in plain():
            yield piece

    return awaited() if kind == "async" else plain()
