"""The rhythm of a learner's day, week and year: hours, weekends, holidays, time zones."""

from datetime import date, datetime, time
from functools import cache
from itertools import accumulate
from zoneinfo import ZoneInfo

# Days off for Indian schools, by (month, day): national days and the usual festival season.
HOLIDAYS = {
    (1, 1),
    (1, 14),
    (1, 26),
    (3, 14),
    (3, 31),
    (4, 14),
    (4, 18),
    (5, 1),
    (8, 15),
    (8, 16),
    (10, 2),
    (10, 20),
    (10, 21),
    (10, 22),
    (11, 5),
    (12, 25),
}
# Summer vacation (mid-May to mid-June) and winter break, when school use stops.
VACATIONS = (((5, 15), (6, 15)), ((12, 24), (12, 31)))

# Relative chance of starting a session in each local hour.
_WEEKDAY = [0, 0, 0, 0, 0, 1, 4, 9, 6, 8, 9, 9, 8, 6, 5, 6, 12, 14, 16, 20, 22, 16, 8, 2]
_WEEKEND = [0, 0, 0, 0, 0, 0, 1, 3, 6, 10, 13, 14, 12, 9, 9, 10, 12, 13, 14, 15, 14, 10, 6, 2]
HOURS = range(24)
WEEKDAY_CUM = list(accumulate(_WEEKDAY))
WEEKEND_CUM = list(accumulate(_WEEKEND))
# Preferred study time -> the hours it favours.
SLOT_HOURS = {
    "morning": (6, 7, 8, 9),
    "afternoon": (13, 14, 15, 16, 17),
    "evening": (18, 19, 20, 21),
    "night": (21, 22, 23),
}

# Focus by local hour: fresh in the morning, a dip after lunch, fading late at night.
HOUR_FOCUS = [0.6, 0.5, 0.5, 0.5, 0.6, 0.8, 1.05, 1.1, 1.12, 1.1, 1.05, 1.0]
HOUR_FOCUS += [0.95, 0.85, 0.82, 0.88, 0.95, 1.0, 1.0, 0.97, 0.93, 0.85, 0.75, 0.65]


def is_day_off(day: date) -> bool:
    """Whether schools are closed: a holiday or a vacation."""
    key = (day.month, day.day)
    return key in HOLIDAYS or any(start <= key <= end for start, end in VACATIONS)


@cache
def utc_offset(zone: str, day: date) -> int:
    """Seconds east of UTC at local noon of a day in a zone."""
    noon = datetime.combine(day, time(12), tzinfo=ZoneInfo(zone))
    offset = noon.utcoffset()
    return int(offset.total_seconds()) if offset else 0
