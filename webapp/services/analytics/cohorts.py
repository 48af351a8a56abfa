"""Weekly retention cohorts: learners grouped by the week of their first active day.

A cohort is the learners whose first active local day ever falls in a week (ISO weeks,
Monday first); for each of its first COHORT_WEEKS weeks (offset 0 = the cohort's own week),
the number of those learners active in that week. Rows carry `as_of`, the last day their
figures cover: the week holding it is unfinished unless as_of is its Sunday.

A refresh rewrites the cohorts of the last COHORT_WEEKS weeks as of the last complete day,
once per such day (older cohorts keep their final figures). A refresh of a past range
recomputes the cohorts from that range's first week on, still as of the last complete day,
so it never makes a newer figure older.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from datetime import date, timedelta

from sqlalchemy import Connection, text

from webapp.services.analytics.scopes import scoped
from webapp.services.analytics.sql import Dialect, as_date

COHORT_WEEKS = 12


def week_start(day: date) -> date:
    """Return the Monday of the week holding day."""
    return day - timedelta(days=day.weekday())


def cohort_start(as_of: date) -> date:
    """Return the Monday of the oldest cohort kept up to date as of a day."""
    return week_start(as_of) - timedelta(weeks=COHORT_WEEKS - 1)


def latest_as_of(conn: Connection) -> date | None:
    """Return the day the newest cohort figures are computed as of (None before any)."""
    value = conn.execute(text("SELECT MAX(as_of) FROM retention_cohorts")).scalar()
    return as_date(value) if value is not None else None


def write_cohorts(conn: Connection, d: Dialect, as_of: date, since: date | None = None) -> int:
    """Rewrite the cohorts from the week of since (default: COHORT_WEEKS back) as of as_of; return rows."""
    since = week_start(since) if since is not None else cohort_start(as_of)
    params = {"since": d.day(since), "as_of": d.day(as_of), "weeks": COHORT_WEEKS}
    # Learners active in the window, each once with the first active day (checked once per
    # learner, not once per active day, against any activity before the window).
    firsts = """
        SELECT g.user_id, g.first_day FROM (
          SELECT user_id, MIN(day) AS first_day FROM learner_days
          WHERE is_active AND day BETWEEN :since AND :as_of GROUP BY user_id) g
        WHERE NOT EXISTS (SELECT 1 FROM learner_days p WHERE p.user_id = g.user_id
                          AND p.is_active AND p.day < :since)"""
    per_user = f"""
        SELECT DISTINCT ld.user_id, {d.week_start("ld.day")} AS wk, {d.week_start("f.first_day")} AS cohort
        FROM learner_days ld JOIN ({firsts}) f ON f.user_id = ld.user_id
        WHERE ld.is_active AND ld.day BETWEEN :since AND :as_of"""
    offset = f"({d.day_num('x.wk')} - {d.day_num('x.cohort')}) / 7"
    # One statement: every cohort has a week_offset 0 row (its first week), whose count is its size.
    sql = f"""
        INSERT INTO retention_cohorts (scope, cohort_week, week_offset, cohort_size,
                                       retained_learners, as_of, computed_at)
        WITH per_user AS ({per_user}),
        counts AS (
          SELECT scope, cohort, week_offset, COUNT(*) AS n FROM (
            {scoped("per_user", f"x.cohort AS cohort, {offset} AS week_offset", day="x.wk")}) s
          GROUP BY scope, cohort, week_offset)
        SELECT scope, cohort, week_offset,
               MAX(CASE WHEN week_offset = 0 THEN n END) OVER (PARTITION BY scope, cohort), n,
               :as_of, CURRENT_TIMESTAMP
        FROM counts WHERE week_offset < :weeks"""
    conn.execute(text("DELETE FROM retention_cohorts WHERE cohort_week >= :since"), params)
    return conn.execute(text(sql), params).rowcount
