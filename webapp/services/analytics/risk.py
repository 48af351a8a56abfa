"""At-risk learners: documented rules over learner_days, evaluated as of a day D.

Each rule that fires for a learner is stored as one LearnerRiskFlag with the
figure it compared, so that pages can say why a learner is listed.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from datetime import date

from sqlalchemy import Connection, text

from webapp.services.analytics.sql import Dialect

# rule -> (title, the rule in words); pages show these.
RULES: dict[str, tuple[str, str]] = {
    "went_quiet": (
        "Went quiet",
        "No activity in the last 7 days after being regular (active on 8 or more of the 28 days before).",
    ),
    "minutes_down": (
        "Minutes down",
        "Learning minutes in the last 7 days are 30% or more below their weekly average over the "
        "previous 4 weeks (which was at least 30 minutes a week).",
    ),
    "focus_down": (
        "Focus down",
        "Average focus score in the last 7 days is 30% or more below their average over the "
        "previous 4 weeks.",
    ),
    "streak_broken": (
        "Streak broken",
        "A streak of 7 or more days ended within the last 7 days.",
    ),
    "low_mastery": (
        "Low mastery, falling quiz scores",
        "Average skill mastery below 0.4 and average quiz score of the last 14 days below that of "
        "the 28 days before.",
    ),
}

REGULAR_DAYS = 8
DROP = 0.7  # "down 30% or more": recent <= 70% of before
MIN_WEEKLY_MINUTES = 30
STREAK_DAYS = 7
LOW_MASTERY = 0.4


def _windows(d: Dialect, as_of: date) -> str:
    """Per-learner sums over the last 7 days (r_) and the 28 days before them (p_)."""
    recent = f"day > {d.add_days(':as_of', -7)}"
    before = f"day <= {d.add_days(':as_of', -7)}"
    return f"""
        SELECT user_id,
          SUM(CASE WHEN {recent} AND is_active THEN 1 ELSE 0 END) AS r_days,
          SUM(CASE WHEN {before} AND is_active THEN 1 ELSE 0 END) AS p_days,
          SUM(CASE WHEN {recent} THEN learning_minutes ELSE 0 END) AS r_min,
          SUM(CASE WHEN {before} THEN learning_minutes ELSE 0 END) AS p_min,
          SUM(CASE WHEN {recent} THEN focus_score_sum ELSE 0 END) AS r_fs,
          SUM(CASE WHEN {recent} THEN focus_sessions ELSE 0 END) AS r_fn,
          SUM(CASE WHEN {before} THEN focus_score_sum ELSE 0 END) AS p_fs,
          SUM(CASE WHEN {before} THEN focus_sessions ELSE 0 END) AS p_fn,
          MAX(CASE WHEN is_active THEN day END) AS last_day
        FROM learner_days
        WHERE day > {d.add_days(":as_of", -35)} AND day <= :as_of
        GROUP BY user_id"""


def _activity_flags(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    out = []
    for r in conn.execute(text(_windows(d, as_of)), {"as_of": d.day(as_of)}):
        uid, r_days, p_days, r_min, p_min, r_fs, r_fn, p_fs, p_fn, last = r
        if r_days == 0 and p_days >= REGULAR_DAYS:
            idle = (as_of - _date(last)).days if last else None
            out.append(
                _flag(
                    uid, "went_quiet", idle, f"{p_days} active days in the 4 weeks before; idle {idle} days"
                )
            )
        weekly = float(p_min) / 4
        if weekly >= MIN_WEEKLY_MINUTES and float(r_min) <= DROP * weekly:
            change = 100 * (float(r_min) - weekly) / weekly
            out.append(
                _flag(
                    uid,
                    "minutes_down",
                    change,
                    f"{float(r_min):.0f} min vs {weekly:.0f} min/week ({change:+.0f}%)",
                )
            )
        if r_fn and p_fn:
            recent, before = float(r_fs) / r_fn, float(p_fs) / p_fn
            if before > 0 and recent <= DROP * before:
                change = 100 * (recent - before) / before
                out.append(
                    _flag(uid, "focus_down", change, f"focus {recent:.0f} vs {before:.0f} ({change:+.0f}%)")
                )
    return out


def _streak_flags(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    num = d.day_num("day")
    sql = f"""
        SELECT user_id, MAX(day) AS last_day, COUNT(*) AS length FROM (
          SELECT user_id, day, {num} - ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY day) AS island
          FROM learner_days WHERE kept_streak AND day > {d.add_days(":as_of", -90)} AND day <= :as_of) s
        GROUP BY user_id, island
        HAVING COUNT(*) >= :n AND MAX(day) >= {d.add_days(":as_of", -7)} AND MAX(day) < :as_of"""
    out = []
    for uid, last, length in conn.execute(text(sql), {"as_of": d.day(as_of), "n": STREAK_DAYS}):
        out.append(_flag(uid, "streak_broken", length, f"{length}-day streak ended on {_date(last)}"))
    return out


def _mastery_flags(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    recent = f"day > {d.add_days(':as_of', -14)}"
    sql = f"""
        SELECT q.user_id, m.mastery, q.r_sum / q.r_n, q.p_sum / q.p_n FROM (
          SELECT user_id,
            SUM(CASE WHEN {recent} THEN quiz_percent_sum ELSE 0 END) AS r_sum,
            SUM(CASE WHEN {recent} THEN quiz_attempts ELSE 0 END) AS r_n,
            SUM(CASE WHEN NOT ({recent}) THEN quiz_percent_sum ELSE 0 END) AS p_sum,
            SUM(CASE WHEN NOT ({recent}) THEN quiz_attempts ELSE 0 END) AS p_n
          FROM learner_days WHERE quiz_attempts > 0 AND day > {d.add_days(":as_of", -42)} AND day <= :as_of
          GROUP BY user_id) q
        JOIN (SELECT user_id, AVG(mastery) AS mastery FROM skill_masteries GROUP BY user_id) m
          ON m.user_id = q.user_id
        WHERE q.r_n > 0 AND q.p_n > 0 AND m.mastery < :low"""
    out = []
    for uid, mastery, recent_avg, before_avg in conn.execute(
        text(sql), {"as_of": d.day(as_of), "low": LOW_MASTERY}
    ):
        if float(recent_avg) < float(before_avg):
            detail = (
                f"mastery {float(mastery):.2f}; quiz {float(recent_avg):.0f}% vs {float(before_avg):.0f}%"
            )
            out.append(_flag(uid, "low_mastery", float(mastery), detail))
    return out


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _flag(user_id: int, rule: str, value: float | None, detail: str) -> dict:
    return {"user_id": user_id, "rule": rule, "value": value, "detail": detail[:200]}


def evaluate(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    """Return every rule that fires as of a day, one dict per learner and rule."""
    return _activity_flags(conn, d, as_of) + _streak_flags(conn, d, as_of) + _mastery_flags(conn, d, as_of)


def write_flags(conn: Connection, d: Dialect, as_of: date) -> int:
    """Rewrite the flags of as_of; return how many fired."""
    flags = evaluate(conn, d, as_of)
    conn.execute(text("DELETE FROM learner_risk_flags WHERE as_of = :as_of"), {"as_of": d.day(as_of)})
    if flags:
        conn.execute(
            text(
                "INSERT INTO learner_risk_flags (as_of, user_id, rule, value, detail, computed_at)"
                " VALUES (:as_of, :user_id, :rule, :value, :detail, CURRENT_TIMESTAMP)"
            ),
            [{**f, "as_of": d.day(as_of)} for f in flags],
        )
    return len(flags)
