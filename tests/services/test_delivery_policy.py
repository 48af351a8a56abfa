"""Quiet hours in the learner's zone, across midnight and DST; local days; the preference defaults."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from webapp.services.delivery.policy import Preference, local_day_bounds, quiet_until, wall_clock

KOLKATA, NEW_YORK, AUCKLAND = (
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Pacific/Auckland"),
)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "now", "zone", "expected"),
    [
        # 22 -> 7 wraps midnight. 23:30 in Kolkata (18:00 UTC) ends at 07:00 local next day = 01:30 UTC.
        (22, 7, utc(2024, 6, 1, 18, 0), KOLKATA, utc(2024, 6, 2, 1, 30)),
        # 02:00 local (20:30 UTC the day before) is quiet too, ending the same local morning.
        (22, 7, utc(2024, 6, 1, 20, 30), KOLKATA, utc(2024, 6, 2, 1, 30)),
        # 07:00 sharp is no longer quiet; 21:59 is not yet.
        (22, 7, utc(2024, 6, 2, 1, 30), KOLKATA, None),
        (22, 7, utc(2024, 6, 1, 16, 29), KOLKATA, None),
        # A daytime quiet period (13 -> 15) that does not wrap.
        (13, 15, utc(2024, 6, 1, 8, 0), KOLKATA, utc(2024, 6, 1, 9, 30)),
        # Equal hours: no quiet period at all.
        (9, 9, utc(2024, 6, 1, 3, 40), KOLKATA, None),
        # Spring forward in New York (2024-03-10, 02:00 -> 03:00): quiet 22 -> 2 ends when the
        # clocks jump, 03:00 EDT = 07:00 UTC, not an hour later.
        (22, 2, utc(2024, 3, 10, 5, 30), NEW_YORK, utc(2024, 3, 10, 7, 0)),
        # Quiet 22 -> 8 across the jump: 08:00 EDT = 12:00 UTC (the night is an hour shorter).
        (22, 8, utc(2024, 3, 10, 4, 0), NEW_YORK, utc(2024, 3, 10, 12, 0)),
        # Fall back (2024-11-03, 02:00 -> 01:00): 22 -> 1 ends at the first 01:00 (EDT) = 05:00 UTC.
        (22, 1, utc(2024, 11, 3, 3, 0), NEW_YORK, utc(2024, 11, 3, 5, 0)),
        # 22 -> 8 across fall back: 08:00 EST = 13:00 UTC (the night is an hour longer).
        (22, 8, utc(2024, 11, 3, 3, 0), NEW_YORK, utc(2024, 11, 3, 13, 0)),
        # Auckland is a day ahead: 23:00 NZDT on 1 Jan is 10:00 UTC on 1 Jan; quiet ends 07:00 on 2 Jan.
        (21, 7, utc(2024, 1, 1, 10, 0), AUCKLAND, utc(2024, 1, 1, 18, 0)),
    ],
)
def test_quiet_hours_end_on_the_learners_wall_clock(start, end, now, zone, expected) -> None:
    assert quiet_until(Preference(True, start, end), now, zone) == expected


def test_no_preference_means_no_quiet_hours() -> None:
    assert quiet_until(Preference(), utc(2024, 6, 1, 3, 0), KOLKATA) is None


def test_local_days_have_23_and_25_hours_at_dst_changes() -> None:
    start, end = local_day_bounds(date(2024, 3, 10), NEW_YORK)
    assert (end - start).total_seconds() == 23 * 3600
    start, end = local_day_bounds(date(2024, 11, 3), NEW_YORK)
    assert (end - start).total_seconds() == 25 * 3600
    assert wall_clock(date(2024, 6, 1), 0, KOLKATA) == utc(2024, 5, 31, 18, 30)
