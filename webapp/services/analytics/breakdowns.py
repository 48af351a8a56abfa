"""Figures that need each session or span of a chunk: medians, distributions, hourly and
content-type breakdowns, and points by reason."""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from sqlalchemy import Connection, text

from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS, bucket_case
from webapp.services.analytics.scopes import scoped
from webapp.services.analytics.sql import Dialect, as_date

# The median of each (day, scope): PostgreSQL's ordered-set aggregate, SQLite's window functions.
_MEDIAN_PG = f"""
        SELECT day, scope, percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(minutes AS DOUBLE PRECISION))
        FROM ({scoped("tmp_sess", "x.day AS day, x.minutes AS minutes")}) s GROUP BY day, scope"""
_MEDIAN_WINDOWS = f"""
        WITH m AS (
          SELECT day, scope, minutes,
                 ROW_NUMBER() OVER (PARTITION BY day, scope ORDER BY minutes) AS rn,
                 COUNT(*) OVER (PARTITION BY day, scope) AS cnt
          FROM ({scoped("tmp_sess", "x.day AS day, x.minutes AS minutes")}) s)
        SELECT day, scope, AVG(minutes) FROM m
        WHERE rn = (cnt + 1) / 2 OR rn = (cnt + 2) / 2 GROUP BY day, scope"""


def add_medians(conn: Connection, d: Dialect, params: dict, out: dict) -> None:
    """Fill median session minutes per day and scope (the mean of the middle one or two).

    PostgreSQL: `percentile_cont(0.5)`, which interpolates between the middle two, i.e. their
    mean. SQLite has no ordered-set aggregates: the same from row numbers and counts.
    """
    sql = _MEDIAN_PG if d.pg else _MEDIAN_WINDOWS
    for day, scope, median in conn.execute(text(sql), params):
        row = out.get((as_date(day), scope))
        if row is not None:
            row["median_session_minutes"] = float(median)


def add_distributions(conn: Connection, params: dict, out: dict) -> None:
    """Fill the focus-score buckets (per session) and attention-span buckets (per span)."""
    focus = bucket_case("x.focus", FOCUS_BUCKETS)
    span = bucket_case("x.focus_seconds", SPAN_BUCKETS)
    sessions_with_focus = "(SELECT * FROM tmp_sess WHERE focus IS NOT NULL)"
    count = "SELECT day, scope, bucket, COUNT(*) FROM ({}) s GROUP BY day, scope, bucket"
    queries = (
        ("focus_buckets", count.format(scoped(sessions_with_focus, f"x.day AS day, {focus} AS bucket"))),
        ("span_buckets", count.format(scoped("tmp_spans", f"x.day AS day, {span} AS bucket"))),
    )
    for key, sql in queries:
        for day, scope, bucket, count in conn.execute(text(sql), params):
            row = out.get((as_date(day), scope))
            if row is not None:
                row[key][bucket] = int(count)


def write_breakdowns(conn: Connection, d: Dialect, params: dict) -> int:
    """Rewrite the hourly, content-type and points-by-reason rollups of the chunk; return rows."""
    focus_cols = "x.day AS day, x.{key} AS {key}, x.minutes, x.focus"
    statements = (
        ("hourly_metrics", "hour", "tmp_sess",
         "SUM(x.minutes), SUM(COALESCE(x.focus, 0)), COUNT(x.focus)",
         "sessions, learning_minutes, focus_score_sum, focus_sessions", "COUNT(*), "),
        ("content_type_metrics", "content_type", "tmp_sess",
         "SUM(x.minutes), SUM(COALESCE(x.focus, 0)), COUNT(x.focus)",
         "sessions, learning_minutes, focus_score_sum, focus_sessions", "COUNT(*), "),
        ("points_reason_metrics", "reason", "tmp_points", "COUNT(*)", "points, transactions",
         "SUM(x.amount), "),
    )  # fmt: skip
    written = 0
    for table, key, source, aggs, columns, first in statements:
        cols = (
            focus_cols.format(key=key)
            if source == "tmp_sess"
            else f"x.day AS day, x.{key} AS {key}, x.amount"
        )
        inner = scoped(source, cols)
        select = f"SELECT day, scope, {key}, {first}{aggs} FROM ({inner}) x GROUP BY day, scope, {key}"
        conn.execute(text(f"DELETE FROM {table} WHERE day BETWEEN :lo AND :hi"), params)
        insert = f"INSERT INTO {table} (day, scope, {key}, {columns}) {select}"
        written += conn.execute(text(insert), params).rowcount
    return written
