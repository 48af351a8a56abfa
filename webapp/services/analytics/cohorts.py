"""Weekly retention cohorts: learners grouped by the week of their first active day.

For each of the last COHORT_WEEKS cohorts and each later week, the number of
the cohort's learners active in that week. Weeks are ISO weeks (Monday first)
of local days. Rewritten whole, for those weeks, by every refresh.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from datetime import date, timedelta

from sqlalchemy import Connection, text

from webapp.services.analytics.scopes import scoped
from webapp.services.analytics.sql import Dialect

COHORT_WEEKS = 12


def cohort_start(as_of: date) -> date:
    """Return the Monday of the oldest cohort kept as of a day."""
    monday = as_of - timedelta(days=as_of.weekday())
    return monday - timedelta(weeks=COHORT_WEEKS - 1)


def write_cohorts(conn: Connection, d: Dialect, as_of: date) -> int:
    """Rewrite the retention cohorts of the last COHORT_WEEKS weeks up to as_of; return rows."""
    since = cohort_start(as_of)
    params = {"since": d.day(since), "as_of": d.day(as_of)}
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
                                       retained_learners, computed_at)
        WITH per_user AS ({per_user}),
        counts AS (
          SELECT scope, cohort, week_offset, COUNT(*) AS n FROM (
            {scoped("per_user", f"x.cohort AS cohort, {offset} AS week_offset", day="x.wk")}) s
          GROUP BY scope, cohort, week_offset)
        SELECT scope, cohort, week_offset,
               MAX(CASE WHEN week_offset = 0 THEN n END) OVER (PARTITION BY scope, cohort), n,
               CURRENT_TIMESTAMP
        FROM counts"""
    conn.execute(text("DELETE FROM retention_cohorts WHERE cohort_week >= :since"), params)
    return conn.execute(text(sql), params).rowcount
