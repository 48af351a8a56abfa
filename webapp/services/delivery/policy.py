"""When a notification may go out: preferences, quiet hours in the learner's zone, the daily cap.

- Preferences: a NotificationPreference row per (learner, channel, category); no row
  means enabled with no quiet hours.
- Quiet hours run from `quiet_hours_start`:00 to `quiet_hours_end`:00 local time and may
  wrap midnight (22 -> 7 is quiet from 22:00 to 07:00 the next morning); equal hours mean
  no quiet period. A message due inside them is deferred to the moment they end, on the
  learner's wall clock: across a DST change that is still the first instant the clock
  shows the end hour (a skipped hour ends at the first instant after the gap).
- The daily cap counts push and email messages sent to a learner on their local day;
  in-app messages wait in the app's inbox and interrupt nobody, so they are not capped,
  and the teachers' digest is not a learner's message.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.models import Notification, NotificationPreference
from webapp.models.core.enums import Channel, NotificationCategory, NotificationStatus

CAPPED_CHANNELS = frozenset({Channel.PUSH, Channel.EMAIL})
UNCAPPED_CATEGORIES = frozenset({NotificationCategory.DIGEST})


@dataclass(frozen=True)
class Preference:
    """A learner's choice for one channel and category."""

    enabled: bool = True
    quiet_start: int | None = None
    quiet_end: int | None = None


def wall_clock(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """Return the UTC instant a local wall clock first shows hour:00 on day.

    fold=0 takes the first of a repeated hour (autumn) and, for an hour the clocks skip
    (spring), the instant the clocks jump to: both are when the wall clock "reaches" it.
    """
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def quiet_until(pref: Preference, now: datetime, zone: ZoneInfo) -> datetime | None:
    """Return when the quiet hours holding now end (UTC), or None when now is not quiet."""
    start, end = pref.quiet_start, pref.quiet_end
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zone)
    hour, today = local.hour, local.date()
    if start < end:
        quiet, end_day = start <= hour < end, today
    else:  # wraps midnight
        quiet = hour >= start or hour < end
        end_day = today if hour < end else today + timedelta(days=1)
    if not quiet:
        return None
    return max(wall_clock(end_day, end, zone), now)


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the UTC instants at which a local day starts and the next one starts."""
    return wall_clock(day, 0, zone), wall_clock(day + timedelta(days=1), 0, zone)


def preferences(session: Session, user_ids: Iterable[int]) -> dict[tuple, Preference]:
    """Return {(user, channel, category): Preference} of the learners' stored choices."""
    ids = sorted(set(user_ids))
    p = NotificationPreference
    found: dict[tuple, Preference] = {}
    for i in range(0, len(ids), 1000):
        query = select(p.user_id, p.channel, p.category, p.is_enabled, p.quiet_hours_start, p.quiet_hours_end)
        for row in session.execute(query.where(p.user_id.in_(ids[i : i + 1000]))):
            found[(row[0], row[1], row[2])] = Preference(bool(row[3]), row[4], row[5])
    return found


def sent_today(
    session: Session, zones: dict[int, ZoneInfo], now: datetime, exclude: Iterable[int] = ()
) -> dict[int, int]:
    """Return how many capped messages each learner was sent (or is being sent) on their local day.

    `exclude`: the batch being decided (claimed, so `sending`, but not sent yet).
    """
    n = Notification
    counts = dict.fromkeys(zones, 0)
    ids = sorted(zones)
    for i in range(0, len(ids), 1000):
        query = select(n.recipient_id, n.sent_at, n.status).where(
            n.recipient_id.in_(ids[i : i + 1000]),
            n.channel.in_(CAPPED_CHANNELS),
            n.category.not_in(UNCAPPED_CATEGORIES),
            n.id.not_in(list(exclude)),
            or_(n.status == NotificationStatus.SENDING,
                n.status.in_([NotificationStatus.SENT, NotificationStatus.READ])
                & (n.sent_at >= now - timedelta(days=2))),
        )  # fmt: skip
        for user_id, sent_at, status in session.execute(query):
            start, end = local_day_bounds(now.astimezone(zones[user_id]).date(), zones[user_id])
            if status == NotificationStatus.SENDING or start <= sent_at < end:
                counts[user_id] += 1
    return counts
