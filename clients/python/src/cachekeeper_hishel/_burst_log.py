"""Failures of the cache logged once per burst, as the Node store logs them."""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("cachekeeper_hishel")


class BurstLog:
    """
    When cachekeeper is down every request would log the same error. The first failure after a quiet spell is
    logged; the ones that follow within ``quiet`` seconds of each other are counted, and the count is logged with
    the next failure after a quiet spell, or when a call succeeds again.
    """

    def __init__(self, quiet: float) -> None:
        self._quiet = quiet
        self._last_failure = -float("inf")
        self._suppressed = 0
        self.failures = 0
        self._lock = threading.Lock()

    def failure(self, what: str, outcome: str, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self.failures += 1
            if now - self._last_failure < self._quiet:
                self._suppressed += 1
            else:
                self._flush()
                logger.warning(
                    "cachekeeper: %s failed (%s): %s (further failures within %ss of each other are counted)",
                    what,
                    outcome,
                    describe(error),
                    self._quiet,
                )
            self._last_failure = now

    def success(self) -> None:
        with self._lock:
            if self._suppressed:
                self._flush()
                self._last_failure = -float("inf")

    def _flush(self) -> None:
        if self._suppressed:
            logger.warning("cachekeeper: %d more failures were not logged", self._suppressed)
            self._suppressed = 0


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
