"""Staging of one chunk of local days: raw activity -> temp tables -> learner_days.

Every raw row stores its learner-local day and hour (worked out when it was written,
see `webapp.services.timezones`): nothing is converted here. Each raw table is read
once per chunk, by a range scan on its timestamp index widened by a day on each side
(a local day lies within UTC-12..UTC+14 of its UTC day) and cut to the chunk's days
by the stored local day; attention spans and quiz attempts are read by their local-day
index. Quiz attempts count on the local day they were submitted, submitted attempts only.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from datetime import date, timedelta

from sqlalchemy import Connection, text

from webapp.services.analytics.sql import Dialect

TEMP_TABLES = ("tmp_sess", "tmp_spans", "tmp_points")


def _window(dialect: Dialect, lo: date, hi: date) -> dict:
    return {
        "lo": dialect.day(lo),
        "hi": dialect.day(hi),
        "ts_lo": dialect.ts(lo - timedelta(days=1)),
        "ts_hi": dialect.ts(hi + timedelta(days=2)),
    }


def _temp(conn: Connection, dialect: Dialect, name: str, select_sql: str, params: dict) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    conn.execute(text(f"CREATE TEMP TABLE {name} AS {select_sql}"), params)


def stage_raw(conn: Connection, dialect: Dialect, lo: date, hi: date) -> dict:
    """Build tmp_sess, tmp_spans and tmp_points for local days lo..hi; return the bind params."""
    params = _window(dialect, lo, hi)
    sessions = """
        SELECT s.user_id, s.local_day AS day, s.local_hour AS hour, s.content_type,
               COALESCE(s.duration_seconds, 0) / 60.0 AS minutes, f.focus_score AS focus
        FROM learning_sessions s LEFT JOIN focus_metrics f ON f.session_id = s.id
        WHERE s.started_at >= :ts_lo AND s.started_at < :ts_hi AND s.local_day BETWEEN :lo AND :hi"""
    _temp(conn, dialect, "tmp_sess", sessions, params)
    spans = """
        SELECT a.user_id, a.local_day AS day, a.focus_seconds, a.interruptions
        FROM attention_spans a
        WHERE a.local_day BETWEEN :lo AND :hi"""
    _temp(conn, dialect, "tmp_spans", spans, params)
    points = """
        SELECT p.user_id, p.local_day AS day, p.reason, p.amount
        FROM points_transactions p
        WHERE p.created_at >= :ts_lo AND p.created_at < :ts_hi AND p.local_day BETWEEN :lo AND :hi"""
    _temp(conn, dialect, "tmp_points", points, params)
    return params


def drop_staging(conn: Connection, dialect: Dialect | None = None) -> None:
    """Drop the chunk's temp tables."""
    for name in TEMP_TABLES:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")


# The one reading of quiz attempts in every figure (learner_days, the rules, the feature store,
# the learner page): an attempt counts once submitted, on the learner's local day of submission;
# an attempt never submitted (abandoned, or still open) counts nowhere, whatever partial score it holds.
LEARNER_DAY_COLUMNS = (
    "user_id, day, sessions, learning_minutes, focus_score_sum, focus_sessions, quiz_attempts,"
    " quiz_percent_sum, quiz_correct, quiz_questions, points_earned, span_count, span_seconds_sum,"
    " interruptions, badges_awarded, kept_streak, is_active"
)


def write_learner_days(conn: Connection, dialect: Dialect, params: dict) -> int:
    """Rewrite learner_days of the chunk from the staged and raw activity; return rows written."""
    zero9 = "0, 0, 0, 0, 0, 0, 0, 0, 0"
    parts = f"""
        SELECT user_id, day, 1 AS n_sess, minutes, COALESCE(focus, 0) AS focus_sum,
               CASE WHEN focus IS NULL THEN 0 ELSE 1 END AS focus_n,
               0 AS quiz_n, 0 AS quiz_pct, 0 AS quiz_ok, 0 AS quiz_q, 0 AS pts,
               0 AS span_n, 0 AS span_s, 0 AS intr, 0 AS badges, 0 AS streak
        FROM tmp_sess
        UNION ALL
        SELECT q.user_id, q.local_day, 0, 0, 0, 0, 1, 100.0 * q.score / q.max_score, q.correct_count,
               q.total_questions, 0, 0, 0, 0, 0, 0
        FROM quiz_attempts q
        WHERE q.submitted_at IS NOT NULL AND q.local_day BETWEEN :lo AND :hi
        UNION ALL
        SELECT user_id, day, 0, 0, 0, 0, 0, 0, 0, 0, CASE WHEN amount > 0 THEN amount ELSE 0 END,
               0, 0, 0, 0, 0
        FROM tmp_points
        UNION ALL
        SELECT user_id, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, focus_seconds, interruptions, 0, 0 FROM tmp_spans
        UNION ALL
        SELECT b.user_id, b.local_day, 0, 0, 0, {zero9}, 1, 0 FROM user_badges b
        WHERE b.awarded_at >= :ts_lo AND b.awarded_at < :ts_hi AND b.local_day BETWEEN :lo AND :hi
        UNION ALL
        SELECT user_id, day, 0, 0, 0, {zero9}, 0, 1 FROM streak_activities WHERE day BETWEEN :lo AND :hi
        UNION ALL
        SELECT user_id, used_on, 0, 0, 0, {zero9}, 0, 1 FROM streak_freezes
        WHERE status = 'used' AND used_on BETWEEN :lo AND :hi"""
    insert = f"""
        INSERT INTO learner_days ({LEARNER_DAY_COLUMNS})
        SELECT user_id, day, SUM(n_sess), SUM(minutes), SUM(focus_sum), SUM(focus_n), SUM(quiz_n),
               SUM(quiz_pct), SUM(quiz_ok), SUM(quiz_q), SUM(pts), SUM(span_n), SUM(span_s), SUM(intr),
               SUM(badges), MAX(streak) > 0, SUM(n_sess) + SUM(quiz_n) > 0
        FROM ({parts}) p
        GROUP BY user_id, day"""
    conn.execute(text("DELETE FROM learner_days WHERE day BETWEEN :lo AND :hi"), params)
    return conn.execute(text(insert), params).rowcount
