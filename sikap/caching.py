"""Read-mostly figures kept in Django's cache, safely.

``cached(key, compute, seconds=…, generation=…)`` answers ``compute()`` through the default cache
for ``seconds``; a ``generation`` names a counter that ``forget(generation)`` bumps, so every entry
under it turns stale at once (where the change was made; in every process when the cache is shared,
``CACHE_URL``; never for the per-process ``local`` alias). A cache that is off (``seconds <= 0``) or cannot be reached is never an error: the
caller gets ``compute()`` from the database, as without a cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

T = TypeVar("T")
MISSING = object()


def _generation_key(generation: str) -> str:
    return f"sikap:generation:{generation}"


def cached(
    key: str,
    compute: Callable[[], T],
    *,
    seconds: int,
    generation: str | None = None,
    per_language: bool = False,
    refresh: bool = False,
    alias: str = "default",
) -> T:
    """``compute()``, kept ``seconds`` under ``key`` (and the current ``generation``; the active
    language too with ``per_language``, for values holding translated labels). ``refresh``
    computes again and replaces what was kept. ``alias``: which of settings.CACHES."""
    if seconds <= 0:
        return compute()
    try:
        cache = caches[alias]
        parts = [key]
        if generation is not None:
            parts.append(str(cache.get_or_set(_generation_key(generation), 1, timeout=None)))
        if per_language:
            parts.append(get_language() or "")
        versioned = ":".join(parts)
        value = MISSING if refresh else cache.get(versioned, MISSING)
        if value is MISSING:
            value = compute()
            cache.set(versioned, value, timeout=seconds)
        return value
    except Exception:  # noqa: BLE001 - a broken cache costs queries, never an answer
        logger.warning("cache unavailable for %s; reading the database", key, exc_info=True)
        return compute()


def forget(generation: str, *, alias: str = "default") -> None:
    """Make every entry cached under ``generation`` stale."""
    try:
        caches[alias].incr(_generation_key(generation))
    except ValueError:  # no counter yet: nothing is cached under it
        pass
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable; entries of %s expire on their own", generation, exc_info=True)
