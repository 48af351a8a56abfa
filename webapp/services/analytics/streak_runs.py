"""Streak runs read back in SQL from the streak days that `webapp.services.streaks` derives.

The rule is the one of `streaks.py`, read over its stored results (StreakActivity for the
active days, StreakFreeze.used_on for the days a freeze covered):

- a run is a stretch of consecutive local days, each of them active or covered by a used
  freeze; its length counts the active days only (a freeze keeps a streak, it does not grow it);
- as of day D, the run whose last day is D or D - 1 is alive (today is never missed);
- a run whose last day L is earlier was lost on L + 1, the first day missed with no freeze left.

Freeze use is decided day by day from earlier days only, so the runs up to D read from today's
derived rows are the runs the streak rule gave on D. tests/services/test_streak_runs.py checks
these runs against `streaks.compute_streak`.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from datetime import date

from sqlalchemy import Connection, text

from webapp.services.analytics.sql import Dialect, as_date


def runs_sql(d: Dialect) -> str:
    """SQL of (user_id, first_day, last_day, active_days): the runs up to :as_of ending from :ends_from on."""
    kept = """
        SELECT user_id, day, MAX(active) AS active FROM (
          SELECT user_id, day, 1 AS active FROM streak_activities WHERE day <= :as_of
          UNION ALL
          SELECT user_id, used_on, 0 FROM streak_freezes WHERE status = 'used' AND used_on <= :as_of) k
        GROUP BY user_id, day"""
    numbered = f"""
        SELECT user_id, day, active,
               {d.day_num("day")} - ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY day) AS run
        FROM ({kept}) k"""
    return f"""
        SELECT user_id, MIN(day) AS first_day, MAX(day) AS last_day, SUM(active) AS active_days
        FROM ({numbered}) n
        GROUP BY user_id, run
        HAVING MAX(day) >= :ends_from"""


def runs(conn: Connection, d: Dialect, as_of: date, ends_from: date) -> list[tuple[int, date, date, int]]:
    """Return (user_id, first day, last day, active days) of the runs up to as_of ending from ends_from on."""
    params = {"as_of": d.day(as_of), "ends_from": d.day(ends_from)}
    return [
        (uid, as_date(first), as_date(last), int(n))
        for uid, first, last, n in conn.execute(text(runs_sql(d)), params)
    ]


def alive_on(last_day: date, day: date) -> bool:
    """Whether a run whose last kept day is last_day is still alive on day (today is never missed)."""
    return (day - last_day).days <= 1
