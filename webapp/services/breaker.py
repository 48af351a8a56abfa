"""Fail fast while an optional backing service (Redis) is known to be down or hung.

Redis holds nothing the app cannot do without: report data is recomputed,
throttle counts go to the database. What hurts is waiting for it: even with
short socket timeouts, a page that asks a hung Redis ten times waits ten
timeouts. A breaker opens on the first failure (one log line saying what and
for how long), answers "skip it" for `cooldown` seconds, then lets one call
through to try again, and logs once more when the service answers again.
"""

import logging
import time
from collections.abc import Callable

log = logging.getLogger("webapp.redis")

DEFAULT_COOLDOWN = 30.0


class Breaker:
    """Whether to call one backing service now; opened by failures, closed by a success."""

    def __init__(
        self, name: str, cooldown: float = DEFAULT_COOLDOWN, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name, self.cooldown, self.clock = name, cooldown, clock
        self.open_until: float | None = None

    def allows(self) -> bool:
        """Whether to try the service: closed, or its cooldown is over (one try)."""
        if self.open_until is None:
            return True
        if self.clock() >= self.open_until:
            self.open_until = self.clock() + self.cooldown  # the next failure keeps it open; others wait
            return True
        return False

    def failed(self, error: BaseException) -> None:
        """Open (or keep open) after a failure; log when it opens."""
        if self.open_until is None:
            log.warning(
                "%s unavailable (%s: %s): going on without it, next try in %.0f s",
                self.name, type(error).__name__, error, self.cooldown,
            )  # fmt: skip
        self.open_until = self.clock() + self.cooldown

    def succeeded(self) -> None:
        """Close after a call that worked; log when it was open."""
        if self.open_until is not None:
            log.warning("%s answers again", self.name)
            self.open_until = None
