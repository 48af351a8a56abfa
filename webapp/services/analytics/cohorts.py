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
    weeks = f"""(
        SELECT user_id, {d.week_start("day")} AS wk, MIN(day) AS first_day FROM learner_days ld
        WHERE is_active AND day BETWEEN :since AND :as_of
          AND NOT EXISTS (SELECT 1 FROM learner_days p WHERE p.user_id = ld.user_id
                          AND p.is_active AND p.day < :since)
        GROUP BY user_id, {d.week_start("day")})"""
    per_user = f"""(
        SELECT w.user_id, w.wk, c.cohort FROM {weeks} w JOIN (
          SELECT user_id, MIN(wk) AS cohort FROM {weeks} f GROUP BY user_id) c ON c.user_id = w.user_id)"""
    offset = f"({d.day_num('x.wk')} - {d.day_num('x.cohort')}) / 7"
    sql = f"""
        SELECT scope, cohort, week_offset, COUNT(*) FROM (
          {scoped(per_user, f"x.cohort AS cohort, {offset} AS week_offset")}) s
        GROUP BY scope, cohort, week_offset"""
    rows = conn.execute(text(sql), params).all()
    sizes = {(scope, cohort): n for scope, cohort, off, n in rows if off == 0}
    conn.execute(text("DELETE FROM retention_cohorts WHERE cohort_week >= :since"), params)
    payload = [
        {"scope": scope, "cohort": cohort, "off": int(off), "size": sizes[(scope, cohort)], "n": n}
        for scope, cohort, off, n in rows
    ]
    if payload:
        conn.execute(
            text(
                "INSERT INTO retention_cohorts (scope, cohort_week, week_offset, cohort_size,"
                " retained_learners, computed_at)"
                " VALUES (:scope, :cohort, :off, :size, :n, CURRENT_TIMESTAMP)"
            ),
            payload,
        )
    return len(payload)
