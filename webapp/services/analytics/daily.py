"""Per-day, per-scope rollups of one chunk, from the staged tables and learner_days."""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate
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
    # A CTE read twice (the platform and the groups): PostgreSQL works out is_new once per row.
    chunk = (
        f"WITH chunk AS (SELECT ld.*, CASE WHEN ld.is_active AND {first} THEN 1 ELSE 0 END AS is_new"
        " FROM learner_days ld WHERE ld.day BETWEEN :lo AND :hi)"
    )
    cols = (
        "x.day AS day, CASE WHEN x.is_active THEN 1 ELSE 0 END AS act, x.is_new, x.sessions, "
        "x.learning_minutes, x.focus_score_sum, x.focus_sessions, x.span_count, x.span_seconds_sum, "
        "x.interruptions, x.quiz_attempts, x.quiz_percent_sum, x.points_earned, x.badges_awarded, "
        "CASE WHEN x.kept_streak THEN 1 ELSE 0 END AS streak"
    )
    sql = f"""{chunk}
        SELECT day, scope, SUM(act), SUM(is_new), SUM(sessions), SUM(learning_minutes), SUM(focus_score_sum),
               SUM(focus_sessions), SUM(span_count), SUM(span_seconds_sum), SUM(interruptions),
               SUM(quiz_attempts), SUM(quiz_percent_sum), SUM(points_earned), SUM(badges_awarded), SUM(streak)
        FROM ({scoped("chunk", cols)}) s GROUP BY day, scope"""
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

    A learner counts on day t in a window of W days if they were active on some day x with
    x <= t < x + W, i.e. t lies in one of the intervals [x, x + W - 1]; they count for the
    platform and for each group they are a member of on day t. Each learner's active days that
    matter (those of the chunk, and their last one in the 29 days before it) come in one row;
    their intervals, merged, are added to a difference array per scope, so the work grows with
    the intervals, not with learners x days x scopes.
    """
    weekly_w, monthly_w = WINDOWS
    # learner -> (scope, first day no longer counted); the platform scope never ends
    scopes: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for uid, gid, left_on in conn.execute(text(MEMBERS)):
        until = as_date(left_on).toordinal() if left_on is not None else NEVER
        scopes[uid].append((group_scope(gid), until))
    first, last = lo.toordinal(), hi.toordinal()
    span = last - first + 1
    # window -> scope -> difference array over the chunk's days (one slot past the end)
    diffs: dict[int, dict[str, list[int]]] = {w: {} for w in WINDOWS}
    for uid, days in _active_days(conn, d, lo, hi):
        keys = [(PLATFORM_SCOPE, NEVER), *scopes.get(uid, ())]
        for w in WINDOWS:
            for a, b in _covered(days, w, first, last):
                for scope, until in keys:
                    e = min(b, until - 1)
                    if e < a:
                        continue
                    arr = diffs[w].get(scope)
                    if arr is None:
                        arr = diffs[w][scope] = [0] * (span + 1)
                    arr[a - first] += 1
                    arr[e - first + 1] -= 1
    counts = {
        w: {scope: list(accumulate(arr)) for scope, arr in by_scope.items()} for w, by_scope in diffs.items()
    }
    for (day, scope), row in out.items():
        k = day.toordinal() - first
        weekly, monthly = counts[weekly_w].get(scope), counts[monthly_w].get(scope)
        row.update(
            weekly_active_learners=weekly[k] if weekly else 0,
            monthly_active_learners=monthly[k] if monthly else 0,
        )


def _active_days(conn: Connection, d: Dialect, lo: date, hi: date) -> Iterator[tuple[int, list[int]]]:
    """Each learner's active days that decide the actives of lo..hi, as sorted day ordinals, one row
    per learner: the last one in the 29 days before lo (an earlier one covers nothing it does not)
    and every one from lo to hi."""
    ordinal = d.ordinal("day")
    params = {"wlo": d.day(lo - timedelta(days=WINDOWS[1] - 1)), "lo": d.day(lo), "hi": d.day(hi)}
    before = f"MAX(CASE WHEN day < :lo THEN {ordinal} END)"
    within = f"CASE WHEN day >= :lo THEN {ordinal} END"
    agg = f"array_remove(array_agg({within}), NULL)" if d.pg else f"group_concat({within})"
    sql = f"""
        SELECT user_id, {before}, {agg} FROM learner_days
        WHERE is_active AND day BETWEEN :wlo AND :hi GROUP BY user_id"""
    for uid, last_before, days in conn.execute(text(sql), params):
        found = sorted(days if d.pg else map(int, days.split(","))) if days else []
        yield uid, ([last_before, *found] if last_before is not None else found)


def _covered(days: list[int], window: int, first: int, last: int) -> list[list[int]]:
    """The days from first to last that lie within `window` days from an active day (on or after
    it), as merged inclusive intervals [a, b]."""
    out: list[list[int]] = []
    for x in days:
        a, b = max(x, first), min(x + window - 1, last)
        if a > b:
            continue
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out
