"""Learners' time zones, and the one rule that gives a raw row its learner-local day and hour.

Every raw activity row (sessions, events, spans, quiz attempts, behaviour events,
points, badges) stores the local day and hour of its moment in the learner's time
zone, worked out once when the row is written: `local_day_hour()` is that rule, and
every writer calls it: the ingest API, the demo seed, the engine's ledger and badges,
and (through `install_orm_hook()` below) every row added through an ORM session, which
covers the admin's forms and the test factories. Rollups and rules read the stored
columns and never convert again.

A learner whose time zone changes later keeps the local days of the rows already
written: those days are the ones the learner lived (a streak kept in Kolkata stays
kept after a move to London). Rows written after the change use the new zone.
When a zone was simply wrong, `flask analytics relocalise` rewrites one learner's
stored days with their current zone and marks the days it moved for the jobs.
"""

from collections.abc import MutableMapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, event, inspect, select
from sqlalchemy.orm import Mapper, Session

from webapp.models.core.mixins import LocalTimeMixin
from webapp.models.users.models import User

# Every UTC offset in use is a whole number of quarter hours (+05:30, +05:45, ...): within one
# quarter hour of UTC the local day and hour cannot change, unless an offset changes inside it.
QUARTER = 900
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=512)
def learner_zone(name: str | None) -> ZoneInfo:
    """Return the named IANA time zone; UTC when the stored name is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day_hour(moment: datetime, timezone: str | None) -> tuple[date, int]:
    """Return the learner-local calendar day and hour (0-23) of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware moment")
    local = moment.astimezone(learner_zone(timezone))
    return local.date(), local.hour


class LocalClock:
    """`local_day_hour()` for bulk writers, memoised per time zone and UTC quarter hour.

    A quarter hour is memoised only when the rule gives the same answer at its first and
    last microsecond (no offset change inside it); moments of any other quarter are worked
    out one by one. No zone changes its offset twice within a quarter hour, so the answers
    are exactly those of `local_day_hour()` (a test checks this around transitions).
    """

    def __init__(self) -> None:
        self._memo: dict[tuple[str | None, int], tuple[date, int] | None] = {}

    def at(self, moment: datetime, timezone: str | None) -> tuple[date, int]:
        """Return the local day and hour of an aware moment."""
        seconds = (moment - _EPOCH) // timedelta(seconds=1)
        found = self.quarter(seconds // QUARTER, timezone)
        return found if found is not None else local_day_hour(moment, timezone)

    def at_epoch(self, seconds: int, timezone: str | None) -> tuple[date, int]:
        """Return the local day and hour of a UTC epoch second."""
        found = self.quarter(seconds // QUARTER, timezone)
        if found is not None:
            return found
        return local_day_hour(_EPOCH + timedelta(seconds=seconds), timezone)

    def quarter(self, quarter: int, timezone: str | None) -> tuple[date, int] | None:
        """Return the local day and hour of a whole UTC quarter hour (epoch seconds // 900), if one."""
        key = (timezone, quarter)
        try:
            return self._memo[key]
        except KeyError:
            pass
        first = _EPOCH + timedelta(seconds=quarter * QUARTER)
        start = local_day_hour(first, timezone)
        end = local_day_hour(first + timedelta(seconds=QUARTER, microseconds=-1), timezone)
        found = self._memo[key] = start if start == end else None
        return found


def learner_timezones(session: Session, user_ids: Sequence[int]) -> dict[int, str]:
    """Return the time zone of each of these users."""
    wanted = sorted(set(user_ids))
    zones: dict[int, str] = {}
    for start in range(0, len(wanted), 1000):
        query = select(User.id, User.timezone).where(User.id.in_(wanted[start : start + 1000]))
        zones.update((uid, tz) for uid, tz in session.execute(query))
    return zones


def fill_local_times(
    session: Session, rows: Sequence[MutableMapping[str, Any]], moment_key: str
) -> Sequence[MutableMapping[str, Any]]:
    """Set local_day and local_hour of row dicts (with user_id) from their moment; return rows."""
    zones = learner_timezones(session, [row["user_id"] for row in rows])
    clock = LocalClock()
    for row in rows:
        row["local_day"], row["local_hour"] = clock.at(row[moment_key], zones.get(row["user_id"]))
    return rows


# The ORM safety net: rows added through a session get their local day and hour too ------


def _timezone_of(connection: Connection, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return connection.execute(select(User.timezone).where(User.id == user_id)).scalar()


def _fill(mapper: Mapper, connection: Connection, target: LocalTimeMixin) -> None:
    """Before an INSERT: work the local day and hour out, unless the writer gave both."""
    if target.local_day is not None and target.local_hour is not None:
        return
    moment = target.local_moment()
    default = mapper.columns[target.local_time_source].default
    if moment is None and default is not None and default.is_callable:
        # The moment defaults to "now" at INSERT time: take it now, so that both agree.
        setattr(target, target.local_time_source, default.arg(None))
        moment = target.local_moment()
    if moment is not None:
        target.local_day, target.local_hour = local_day_hour(moment, _timezone_of(connection, target.user_id))


def _refill(mapper: Mapper, connection: Connection, target: LocalTimeMixin) -> None:
    """Before an UPDATE: work them out again when the moment they come from changed."""
    state = inspect(target)
    if any(state.attrs[name].history.has_changes() for name in target.local_time_fields()):
        moment = target.local_moment()
        if moment is not None:
            zone = _timezone_of(connection, target.user_id)
            target.local_day, target.local_hour = local_day_hour(moment, zone)


def install_orm_hook() -> None:
    """Fill local_day and local_hour of raw rows written through the ORM (once per process)."""
    if not event.contains(LocalTimeMixin, "before_insert", _fill):
        event.listen(LocalTimeMixin, "before_insert", _fill, propagate=True)
        event.listen(LocalTimeMixin, "before_update", _refill, propagate=True)
