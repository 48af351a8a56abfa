"""At-risk learners: documented rules over the learner's own days, evaluated as of a day D.

Each rule that fires for a learner is stored as one LearnerRiskFlag with the figure it
compared, so that pages can say why a learner is listed; each evaluated day is stored as a
RiskEvaluation, so that "nobody flagged" (zero) and "not evaluated" differ. Rules read only
data up to D: learner_days for activity, minutes, focus and quizzes (submitted attempts, on
the day submitted), the derived streak days for streaks (see streak_runs), and the quiz
attempts submitted up to D for mastery.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from webapp.i18n import N_
from webapp.models.analytics.risk import RiskEvaluation
from webapp.services.analytics import streak_runs
from webapp.services.analytics.features import mastery_as_of
from webapp.services.analytics.sql import Dialect, as_date

# rule -> (title, the rule in words); pages show these, translated (webapp.i18n.tr).
RULES: dict[str, tuple[str, str]] = {
    "went_quiet": (
        N_("Went quiet"),
        N_("No activity in the last 7 days after being regular (active on 8 or more of the 28 days before)."),
    ),
    "minutes_down": (
        N_("Minutes down"),
        N_(
            "Learning minutes in the last 7 days are 30% or more below their weekly average over the "
            "previous 4 weeks (which was at least 30 minutes a week)."
        ),
    ),
    "focus_down": (
        N_("Focus down"),
        N_(
            "Average focus score in the last 7 days is 30% or more below their average over the "
            "previous 4 weeks."
        ),
    ),
    "streak_broken": (
        N_("Streak broken"),
        N_(
            "A streak of 7 or more active days was lost within the last 7 days: a day was missed with no "
            "freeze left (freeze days keep a streak but do not count; the current day is never missed)."
        ),
    ),
    "low_mastery": (
        N_("Low mastery, falling quiz scores"),
        N_(
            "Average skill mastery as of the day below 0.4, and the average score of quizzes submitted "
            "in the last 14 days below that of the 28 days before."
        ),
    ),
}
# The detail stored with each flag: one format string per rule.
# Stored in English; pages show them in the reader's language (webapp.reports.labels.detail_text).
DETAILS = {
    "went_quiet": N_("{days} active days in the 4 weeks before; idle {idle} days"),  # 8+ days: never "1 day"
    "minutes_down": N_("{recent:,.0f} min vs {weekly:,.0f} min/week ({change:+.0f}%)"),
    "focus_down": N_("focus {recent:.0f} vs {before:.0f} ({change:+.0f}%)"),
    "streak_broken": N_("{length}-day streak lost on {lost}"),
    "low_mastery": N_("mastery {mastery:.2f}; quiz {recent:.0f}% vs {before:.0f}%"),
}

REGULAR_DAYS = 8
DROP = 0.7  # "down 30% or more": recent <= 70% of before
MIN_WEEKLY_MINUTES = 30
STREAK_DAYS = 7
LOW_MASTERY = 0.4
# The furthest back any rule looks from its as-of day (low mastery: 14 + 28 days).
LOOKBACK_DAYS = 42


def _windows(d: Dialect) -> str:
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
    for r in conn.execute(text(_windows(d)), {"as_of": d.day(as_of)}):
        uid, r_days, p_days, r_min, p_min, r_fs, r_fn, p_fs, p_fn, last = r
        if r_days == 0 and p_days >= REGULAR_DAYS:
            idle = (as_of - as_date(last)).days if last else None
            out.append(_flag(uid, "went_quiet", idle, days=p_days, idle=idle))
        weekly = float(p_min) / 4
        if weekly >= MIN_WEEKLY_MINUTES and float(r_min) <= DROP * weekly:
            change = 100 * (float(r_min) - weekly) / weekly
            out.append(_flag(uid, "minutes_down", change, recent=float(r_min), weekly=weekly, change=change))
        if r_fn and p_fn:
            recent, before = float(r_fs) / r_fn, float(p_fs) / p_fn
            if before > 0 and recent <= DROP * before:
                change = 100 * (recent - before) / before
                out.append(_flag(uid, "focus_down", change, recent=recent, before=before, change=change))
    return out


def _streak_flags(conn: Connection, d: Dialect, days: list[date]) -> dict[date, list[dict]]:
    """Streaks lost within the 7 days up to each as-of day: one reading of the runs for all days.

    A run with last day L was lost on L + 1; as of D that is within the last 7 days when
    D - 6 <= L + 1 <= D - 1 (D itself is never missed), i.e. for D from L + 2 to L + 7.
    """
    out: dict[date, list[dict]] = {day: [] for day in days}
    if not days:
        return out
    first = min(days) - timedelta(days=7)
    for uid, _start, last, length in streak_runs.runs(conn, d, max(days), first):
        if length < STREAK_DAYS:
            continue
        lost = last + timedelta(days=1)
        for k in range(2, 8):
            as_of = last + timedelta(days=k)
            if as_of in out:
                out[as_of].append(_flag(uid, "streak_broken", length, length=length, lost=lost.isoformat()))
    return out


def _mastery_flags(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    recent = f"day > {d.add_days(':as_of', -14)}"
    sql = f"""
        SELECT user_id, r_sum / r_n, p_sum / p_n FROM (
          SELECT user_id,
            SUM(CASE WHEN {recent} THEN quiz_percent_sum ELSE 0 END) AS r_sum,
            SUM(CASE WHEN {recent} THEN quiz_attempts ELSE 0 END) AS r_n,
            SUM(CASE WHEN NOT ({recent}) THEN quiz_percent_sum ELSE 0 END) AS p_sum,
            SUM(CASE WHEN NOT ({recent}) THEN quiz_attempts ELSE 0 END) AS p_n
          FROM learner_days
          WHERE quiz_attempts > 0 AND day > {d.add_days(":as_of", -LOOKBACK_DAYS)} AND day <= :as_of
          GROUP BY user_id) q
        WHERE r_n > 0 AND p_n > 0"""
    falling = {
        uid: (float(r), float(p))
        for uid, r, p in conn.execute(text(sql), {"as_of": d.day(as_of)})
        if float(r) < float(p)
    }
    mastery = mastery_as_of(conn, d, as_of, list(falling)) if falling else {}
    out = []
    for uid, (recent_avg, before_avg) in sorted(falling.items()):
        m = mastery.get(uid)
        if m is not None and m < LOW_MASTERY:
            out.append(_flag(uid, "low_mastery", m, mastery=m, recent=recent_avg, before=before_avg))
    return out


def _flag(user_id: int, rule: str, value: float | None, **figures) -> dict:
    detail = DETAILS[rule].format(**figures)
    return {"user_id": user_id, "rule": rule, "value": value, "detail": detail[:200]}


def evaluate(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    """Return every rule that fires as of a day, one dict per learner and rule."""
    return evaluate_days(conn, d, [as_of])[as_of]


def evaluate_days(conn: Connection, d: Dialect, days: Iterable[date]) -> dict[date, list[dict]]:
    """Return the flags of each as-of day (the streak runs are read once for all of them)."""
    days = sorted(set(days))
    streaks = _streak_flags(conn, d, days)
    return {day: _activity_flags(conn, d, day) + streaks[day] + _mastery_flags(conn, d, day) for day in days}


def write_flags(conn: Connection, d: Dialect, days: Iterable[date]) -> int:
    """Rewrite the flags and the evaluation record of each as-of day; return how many flags fired."""
    fired = 0
    for as_of, flags in evaluate_days(conn, d, days).items():
        params = {"as_of": d.day(as_of)}
        conn.execute(text("DELETE FROM learner_risk_flags WHERE as_of = :as_of"), params)
        conn.execute(text("DELETE FROM risk_evaluations WHERE as_of = :as_of"), params)
        if flags:
            conn.execute(
                text(
                    "INSERT INTO learner_risk_flags (as_of, user_id, rule, value, detail, computed_at)"
                    " VALUES (:as_of, :user_id, :rule, :value, :detail, CURRENT_TIMESTAMP)"
                ),
                [{**f, **params} for f in flags],
            )
        conn.execute(
            text(
                "INSERT INTO risk_evaluations (as_of, learners_flagged, computed_at)"
                " VALUES (:as_of, :n, CURRENT_TIMESTAMP)"
            ),
            {**params, "n": len({f["user_id"] for f in flags})},
        )
        fired += len(flags)
    return fired


def evaluated_days(conn: Connection, d: Dialect, first: date, last: date) -> set[date]:
    """Return the as-of days from first to last that have an evaluation."""
    sql = "SELECT as_of FROM risk_evaluations WHERE as_of BETWEEN :lo AND :hi"
    return {as_date(day) for (day,) in conn.execute(text(sql), {"lo": d.day(first), "hi": d.day(last)})}


def latest_evaluation(session: Session, on_or_before: date) -> date | None:
    """Return the last day up to on_or_before that the rules were evaluated for, or None.

    The one answer to "which flags hold as of this day" for every page that shows risk.
    """
    return session.scalar(select(func.max(RiskEvaluation.as_of)).where(RiskEvaluation.as_of <= on_or_before))
