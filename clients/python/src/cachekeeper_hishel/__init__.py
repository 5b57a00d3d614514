"""hishel storages on cachekeeper: one persistent, shared HTTP cache for every httpx process and pod."""

from ._async import AsyncCachekeeperStorage
from ._errors import CachekeeperError
from ._sync import SyncCachekeeperStorage
from .admin import CachekeeperAdmin

__all__ = ["AsyncCachekeeperStorage", "CachekeeperAdmin", "CachekeeperError", "SyncCachekeeperStorage"]
