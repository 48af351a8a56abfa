"""Report data cache: one small API over Flask-Caching, shared by every dashboard.

Usage in a report query layer::

    from webapp.services.cache import cached

    rows = cached("engagement.daily", {"groups": group_ids, "start": start, "end": end},
                  lambda: daily_rows(db.session, group_ids, start, end))

Every key embeds the current *generation*, a number kept in the cache itself.
`invalidate_reports()` (called by `analytics refresh` after it writes rollups)
sets a new generation, so every earlier entry becomes unreachable at once and
simply expires; with Redis (``CACHE_REDIS_URL``) all app servers see the bump.

If the cache server is down or hung, every operation gives up after
``REDIS_TIMEOUT_SECONDS`` and a breaker (webapp.services.breaker) skips the
cache for ``REDIS_RETRY_SECONDS``: pages are computed at their uncached speed,
with one log line saying why.

``params`` must hold everything the result depends on, including the caller's
scope (for a teacher, their group ids): the cache knows nothing of users.
Values must be picklable plain data (rows, dicts, chart specs), never ORM objects.
"""

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from redis.exceptions import RedisError

from webapp.extensions import cache
from webapp.services.breaker import Breaker

T = TypeVar("T")

GENERATION_KEY = "reports:generation"
DEFAULT_TIMEOUT = 300


def generation() -> int:
    """Return the current report generation, creating one if the cache has none."""
    value = _safe(cache.get, GENERATION_KEY)
    if value is None:
        # A fresh number (never 0): after an eviction or a restart of the cache,
        # entries written under an older generation can never be read again.
        _safe(cache.add, GENERATION_KEY, time.time_ns(), timeout=0)
        value = _safe(cache.get, GENERATION_KEY) or 0
    return int(value)


def invalidate_reports() -> int:
    """Start a new generation so that every cached report value is recomputed; return it."""
    new = max(time.time_ns(), generation() + 1)
    _safe(cache.set, GENERATION_KEY, new, timeout=0)
    return new


def cache_key(namespace: str, params: dict[str, Any], gen: int) -> str:
    """Return the cache key of one value: namespace, generation and a digest of the params."""
    blob = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    digest = hashlib.sha256(blob.encode()).hexdigest()[:32]
    return f"reports:{namespace}:{gen}:{digest}"


def cached(
    namespace: str, params: dict[str, Any], compute: Callable[[], T], timeout: int = DEFAULT_TIMEOUT
) -> T:
    """Return compute() for these params, from the cache when the current generation has it."""
    key = cache_key(namespace, params, generation())
    hit = _safe(cache.get, key)
    if hit is not None:
        return hit[0]
    value = compute()
    # Wrapped in a tuple so that a computed None (or empty result) is cached too.
    _safe(cache.set, key, (value,), timeout=timeout)
    return value


def breaker() -> Breaker:
    """Return this app's breaker of the report cache."""
    breakers = current_app.extensions.setdefault("breakers", {})
    if "cache" not in breakers:
        cooldown = current_app.config.get("REDIS_RETRY_SECONDS", 30.0)
        breakers["cache"] = Breaker("report cache", cooldown)
    return breakers["cache"]


def _safe(operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one cache operation; a broken cache server degrades to no caching, not to errors or waits."""
    guard = breaker()
    if not guard.allows():
        return None
    try:
        result = operation(*args, **kwargs)
    except (OSError, RedisError) as exc:
        guard.failed(exc)
        return None
    guard.succeeded()
    return result
