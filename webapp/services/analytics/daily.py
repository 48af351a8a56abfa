"""Per-day, per-scope rollups of one chunk, from the staged tables and learner_days."""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, text

from webapp.models.analytics.metrics import PLATFORM_SCOPE, group_scope
from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS, empty_buckets
from webapp.services.analytics.scopes import MEMBERS, scoped
from webapp.services.analytics.sql import Dialect, as_date

WINDOWS = (7, 30)
NEVER = date.max.toordinal()


def _rows(conn: Connection, sql: str, params: dict) -> list:
    return conn.execute(text(sql), params).all()


def blank_metrics(conn: Connection, lo: date, hi: date) -> dict[tuple[date, str], dict[str, Any]]:
    """Return a zeroed metric row for every day of the chunk and every scope."""
    scopes = [(PLATFORM_SCOPE, None)]
    scopes += [(group_scope(gid), gid) for (gid,) in conn.execute(text("SELECT id FROM study_groups"))]
    out = {}
    day = lo
    while day <= hi:
        for scope, gid in scopes:
            out[(day, scope)] = {
                "day": day, "scope": scope, "study_group_id": gid,
                "active_learners": 0, "weekly_active_learners": 0, "monthly_active_learners": 0,
                "new_learners": 0, "sessions": 0, "learning_minutes": 0.0,
                "avg_session_minutes": None, "median_session_minutes": None, "avg_focus_score": None,
                "focus_buckets": empty_buckets(FOCUS_BUCKETS), "span_buckets": empty_buckets(SPAN_BUCKETS),
                "avg_span_seconds": None, "interruptions": 0, "quiz_attempts": 0, "avg_quiz_score": None,
                "points_earned": 0, "badges_awarded": 0, "streak_holders": 0,
            }  # fmt: skip
        day += timedelta(days=1)
    return out


def _total(value: float) -> float:
    """A float sum without the last bits that depend on the order rows were added in.

    PostgreSQL adds a float column's rows in whatever order its plan reads them, and a plan
    changes with fresh statistics: 48.95 one run, 48.949999999999996 the next. Nine places
    keep every figure exact to far more than any page shows, and a refresh run twice equal.
    """
    return round(float(value), 9)


def _ratio(num: float, den: float) -> float | None:
    return _total(num) / den if den else None


def add_learner_day_figures(conn: Connection, d: Dialect, params: dict, out: dict) -> None:
    """Fill the figures that sum over learner_days (actives, volumes, focus, quizzes, points...)."""
    first = (
        "NOT EXISTS (SELECT 1 FROM learner_days p WHERE p.user_id = ld.user_id"
        " AND p.is_active AND p.day < ld.day)"
    )
    source = f"(SELECT ld.*, CASE WHEN ld.is_active AND {first} THEN 1 ELSE 0 END AS is_new FROM learner_days ld WHERE ld.day BETWEEN :lo AND :hi)"  # noqa: E501
    cols = (
        "x.day AS day, CASE WHEN x.is_active THEN 1 ELSE 0 END AS act, x.is_new, x.sessions, "
        "x.learning_minutes, x.focus_score_sum, x.focus_sessions, x.span_count, x.span_seconds_sum, "
        "x.interruptions, x.quiz_attempts, x.quiz_percent_sum, x.points_earned, x.badges_awarded, "
        "CASE WHEN x.kept_streak THEN 1 ELSE 0 END AS streak"
    )
    sql = f"""
        SELECT day, scope, SUM(act), SUM(is_new), SUM(sessions), SUM(learning_minutes), SUM(focus_score_sum),
               SUM(focus_sessions), SUM(span_count), SUM(span_seconds_sum), SUM(interruptions),
               SUM(quiz_attempts), SUM(quiz_percent_sum), SUM(points_earned), SUM(badges_awarded), SUM(streak)
        FROM ({scoped(source, cols)}) s GROUP BY day, scope"""
    for r in _rows(conn, sql, params):
        row = out.get((as_date(r[0]), r[1]))
        if row is None:
            continue
        row.update(
            active_learners=int(r[2]), new_learners=int(r[3]), sessions=int(r[4]),
            learning_minutes=_total(r[5]), avg_session_minutes=_ratio(r[5], r[4]),
            avg_focus_score=_ratio(r[6], r[7]), avg_span_seconds=_ratio(r[9], r[8]),
            interruptions=int(r[10]), quiz_attempts=int(r[11]), avg_quiz_score=_ratio(r[12], r[11]),
            points_earned=int(r[13]), badges_awarded=int(r[14]), streak_holders=int(r[15]),
        )  # fmt: skip


def add_actives(conn: Connection, d: Dialect, lo: date, hi: date, out: dict) -> None:
    """Fill weekly and monthly actives: distinct learners active in the trailing 7 and 30 days.

    A learner counts on day t in a window of W days if their last active day on or before t
    is less than W days before t; they count for the platform and for each group they are a
    member of on day t. One pass over the chunk's active learner-days (and the 29 days before it).
    """
    weekly_w, monthly_w = WINDOWS
    wlo = lo - timedelta(days=monthly_w - 1)
    # learner -> (scope, first day no longer counted); the platform scope never ends
    scopes: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for uid, gid, left_on in conn.execute(text(MEMBERS)):
        until = as_date(left_on).toordinal() if left_on is not None else NEVER
        scopes[uid].append((group_scope(gid), until))
    sql = (
        "SELECT user_id, day FROM learner_days WHERE is_active AND day BETWEEN :wlo AND :hi"
        " ORDER BY user_id, day"
    )
    active: dict[int, list[int]] = defaultdict(list)
    for uid, day in conn.execute(text(sql), {"wlo": d.day(wlo), "hi": d.day(hi)}):
        active[uid].append(as_date(day).toordinal())
    first, last = lo.toordinal(), hi.toordinal()
    weekly: dict[tuple[int, str], int] = defaultdict(int)
    monthly: dict[tuple[int, str], int] = defaultdict(int)
    for uid, days in active.items():
        keys = [(PLATFORM_SCOPE, NEVER), *scopes.get(uid, ())]
        i, n, prev = 0, len(days), None
        for t in range(first, last + 1):
            while i < n and days[i] <= t:
                prev = days[i]
                i += 1
            if prev is None or t - prev >= monthly_w:
                continue
            for scope, until in keys:
                if t >= until:
                    continue
                monthly[(t, scope)] += 1
                if t - prev < weekly_w:
                    weekly[(t, scope)] += 1
    for (day, scope), row in out.items():
        t = day.toordinal()
        row.update(
            weekly_active_learners=weekly.get((t, scope), 0),
            monthly_active_learners=monthly.get((t, scope), 0),
        )
