"""Where the login throttle counts failures: one store that every app worker and server shares.

- `DatabaseStore`: a row per key in `login_failures`, written in a transaction
  of its own (a failed login writes nothing else). Always available.
- `RedisStore`: a hash per key in Redis, when one is configured. If Redis is
  down or hung, each call gives up after the short socket timeout, its breaker
  skips Redis for a while (one log line), and the database store answers.

A key's count restarts with the first failure after `window` seconds without
one; rows and hashes older than a day are dropped.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from webapp.models import LoginFailure
from webapp.models.core.types import UTCDateTime
from webapp.services.breaker import Breaker

FAILURES = LoginFailure.__table__
KEEP_FOR = timedelta(days=1)
PRUNE_ONE_IN = 200  # failures; pruning old rows now and then keeps the table small


@dataclass(frozen=True)
class Count:
    """Failures counted for one key, and when the last one happened (epoch seconds)."""

    failures: int
    last_failed_at: float


def _when(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class DatabaseStore:
    """Counts in the `login_failures` table (scope and keyed digest per row)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def read(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Count]:
        """Return the counts of these (scope, digest) keys that have any."""
        wanted = set(keys)
        query = select(
            FAILURES.c.scope, FAILURES.c.key_digest, FAILURES.c.failures, FAILURES.c.last_failed_at
        )
        query = query.where(FAILURES.c.key_digest.in_([digest for _scope, digest in wanted]))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return {(s, d): Count(n, last.timestamp()) for s, d, n, last in rows if (s, d) in wanted}

    def add_failure(self, keys: Iterable[tuple[str, str]], now: float, window: float) -> None:
        """Count one failure for each key (restarting keys idle for longer than window)."""
        at = literal(_when(now), UTCDateTime())
        stale = FAILURES.c.last_failed_at < literal(_when(now - window), UTCDateTime())
        with self.engine.begin() as conn:
            insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            for scope, digest in sorted(keys):  # one order: concurrent logins never deadlock
                row = {"scope": scope, "key_digest": digest, "failures": 1}
                stmt = insert(FAILURES).values(**row, first_failed_at=_when(now), last_failed_at=_when(now))
                stmt = stmt.on_conflict_do_update(
                    index_elements=["scope", "key_digest"],
                    set_={
                        "failures": case((stale, 1), else_=FAILURES.c.failures + 1),
                        "first_failed_at": case((stale, at), else_=FAILURES.c.first_failed_at),
                        "last_failed_at": at,
                    },
                )
                conn.execute(stmt)
            if secrets.randbelow(PRUNE_ONE_IN) == 0:
                conn.execute(delete(FAILURES).where(FAILURES.c.last_failed_at < _when(now) - KEEP_FOR))

    def clear(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget these keys' failures."""
        digests = [digest for _scope, digest in keys]
        with self.engine.begin() as conn:
            conn.execute(delete(FAILURES).where(FAILURES.c.key_digest.in_(digests)))


# Atomic windowed increment of one key: {n, last} restart after `window` idle seconds.
_ADD = """
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
if tonumber(ARGV[1]) - last > tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'n', 1, 'last', ARGV[1])
else
  redis.call('HINCRBY', KEYS[1], 'n', 1)
  redis.call('HSET', KEYS[1], 'last', ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


class RedisStore:
    """Counts in Redis hashes; the database store stands in whenever Redis fails."""

    def __init__(self, client: Redis, fallback: DatabaseStore, breaker: Breaker, prefix: str) -> None:
        self.client, self.fallback, self.breaker, self.prefix = client, fallback, breaker, prefix
        self.add_script = client.register_script(_ADD)

    def _name(self, key: tuple[str, str]) -> str:
        return f"{self.prefix}throttle:{key[0]}:{key[1]}"

    def _call(self, method: str, *args: Any) -> Any:
        if self.breaker.allows():
            try:
                result = getattr(self, f"_redis_{method}")(*args)
            except (OSError, RedisError) as exc:
                self.breaker.failed(exc)
            else:
                self.breaker.succeeded()
                return result
        return getattr(self.fallback, method)(*args)

    def read(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Count]:
        """Return the counts of these keys that have any."""
        return self._call("read", list(keys))

    def add_failure(self, keys: Iterable[tuple[str, str]], now: float, window: float) -> None:
        """Count one failure for each key."""
        self._call("add_failure", list(keys), now, window)

    def clear(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget these keys' failures."""
        self._call("clear", list(keys))

    def _redis_read(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Count]:
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.hmget(self._name(key), "n", "last")
        found = {}
        for key, (n, last) in zip(keys, pipe.execute(), strict=True):
            if n is not None and last is not None:
                found[key] = Count(int(n), float(last))
        return found

    def _redis_add_failure(self, keys: list[tuple[str, str]], now: float, window: float) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            self.add_script(
                keys=[self._name(key)], args=[now, window, int(KEEP_FOR.total_seconds())], client=pipe
            )
        pipe.execute()

    def _redis_clear(self, keys: list[tuple[str, str]]) -> None:
        self.client.delete(*(self._name(key) for key in keys))
