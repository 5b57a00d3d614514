from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cachekeeper_hishel import CachekeeperAdmin
from tests.support import service as launcher
from tests.support.origin import Origin


@pytest.fixture(scope="session")
def service() -> Iterator[launcher.Service]:
    started = launcher.start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="session")
def origin() -> Iterator[Origin]:
    with Origin().running() as running:
        yield running


@pytest.fixture
def admin(service: launcher.Service) -> Iterator[CachekeeperAdmin]:
    with CachekeeperAdmin(service.base_url, username="admin", password=service.password) as client:
        yield client


@pytest.fixture
def api(service: launcher.Service) -> Iterator[httpx.Client]:
    """The service's API as admin, for the tests' own checks."""
    with service.client("admin") as client:
        yield client


@pytest.fixture
def prefix() -> str:
    """A key prefix of the test's own, so that tests sharing the service never see each other's entries."""
    return f"test-{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def storage_settings(service: launcher.Service, prefix: str) -> dict[str, Any]:
    return {"base_url": service.base_url, "username": "writer", "password": service.password, "key_prefix": prefix}
