"""The feature store: per-learner features as of a date, from data up to that date only.

Every figure reads local days <= as_of (learner_days, streak days, quiz
attempts by their local day). SkillMastery is not used: it holds only the
current value, which would leak the future into a past snapshot; mastery here
is recomputed from the quiz attempts made up to as_of.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from collections.abc import Sequence
from datetime import date
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from webapp.models.analytics.ml_features import LearnerFeatureSnapshot
from webapp.services.analytics.csvsafe import write_rows
from webapp.services.analytics.sql import Dialect, as_date

FEATURE_SET = "engagement"
VERSION = 1
FEATURES = (
    "active_days_7d", "active_days_30d", "sessions_7d", "sessions_30d", "minutes_7d", "minutes_30d",
    "avg_focus_30d", "quiz_attempts_30d", "quiz_accuracy_30d", "days_since_active", "streak_days",
    "mastery", "churn_risk",
)  # fmt: skip


def _activity(session: Session, d: Dialect, as_of: date) -> dict[int, dict[str, Any]]:
    w7, w30 = d.add_days(":as_of", -7), d.add_days(":as_of", -30)
    sql = f"""
        SELECT user_id,
          SUM(CASE WHEN day > {w7} AND is_active THEN 1 ELSE 0 END),
          SUM(CASE WHEN day > {w30} AND is_active THEN 1 ELSE 0 END),
          SUM(CASE WHEN day > {w7} THEN sessions ELSE 0 END),
          SUM(CASE WHEN day > {w30} THEN sessions ELSE 0 END),
          SUM(CASE WHEN day > {w7} THEN learning_minutes ELSE 0 END),
          SUM(CASE WHEN day > {w30} THEN learning_minutes ELSE 0 END),
          SUM(CASE WHEN day > {w30} THEN focus_score_sum ELSE 0 END),
          SUM(CASE WHEN day > {w30} THEN focus_sessions ELSE 0 END),
          SUM(CASE WHEN day > {w30} THEN quiz_attempts ELSE 0 END),
          SUM(CASE WHEN day > {w30} THEN quiz_correct ELSE 0 END),
          SUM(CASE WHEN day > {w30} THEN quiz_questions ELSE 0 END),
          MAX(CASE WHEN is_active THEN day END),
          SUM(CASE WHEN day <= {w7} AND day > {d.add_days(":as_of", -35)} THEN learning_minutes ELSE 0 END)
        FROM learner_days WHERE day <= :as_of GROUP BY user_id"""
    out = {}
    for r in session.execute(text(sql), {"as_of": d.day(as_of)}):
        last = as_date(r[12]) if r[12] is not None else None
        out[r[0]] = {
            "active_days_7d": int(r[1]), "active_days_30d": int(r[2]), "sessions_7d": int(r[3]),
            "sessions_30d": int(r[4]), "minutes_7d": round(float(r[5]), 2),
            "minutes_30d": round(float(r[6]), 2),
            "avg_focus_30d": round(float(r[7]) / r[8], 2) if r[8] else None,
            "quiz_attempts_30d": int(r[9]),
            "quiz_accuracy_30d": round(float(r[10]) / r[11], 4) if r[11] else None,
            "days_since_active": (as_of - last).days if last else None,
            "_weekly_before": float(r[13]) / 4,
        }  # fmt: skip
    return out


def _streaks(session: Session, d: Dialect, as_of: date) -> dict[int, int]:
    """Length of the streak alive on as_of (its last day is as_of or the day before)."""
    sql = f"""
        SELECT user_id, COUNT(*) FROM (
          SELECT user_id, day, {d.day_num("day")} - ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY day) AS g
          FROM learner_days WHERE kept_streak AND day <= :as_of AND day > {d.add_days(":as_of", -400)}) s
        GROUP BY user_id, g HAVING MAX(day) >= {d.add_days(":as_of", -1)}"""
    return {uid: int(n) for uid, n in session.execute(text(sql), {"as_of": d.day(as_of)})}


def _mastery(session: Session, d: Dialect, as_of: date) -> dict[int, float]:
    """Mean over skills of the mean quiz score (0-1) on that skill, attempts up to as_of."""
    sql = """
        SELECT user_id, AVG(skill_score) FROM (
          SELECT q.user_id, q.skill_id, AVG(q.score / q.max_score) AS skill_score
          FROM quiz_attempts q
          WHERE q.skill_id IS NOT NULL AND q.local_day <= :as_of
          GROUP BY q.user_id, q.skill_id) s
        GROUP BY user_id"""
    params = {"as_of": d.day(as_of)}
    return {uid: round(float(m), 4) for uid, m in session.execute(text(sql), params)}


def churn_risk(features: dict[str, Any]) -> float:
    """A 0-1 heuristic: 60% idleness (days since active, capped at 14) + 40% drop in weekly minutes."""
    idle_days = features.get("days_since_active")
    idle = 1.0 if idle_days is None else min(idle_days, 14) / 14
    before = features.get("_weekly_before") or 0.0
    drop = max(0.0, min(1.0, 1 - features["minutes_7d"] / before)) if before else 0.0
    return round(0.6 * idle + 0.4 * drop, 4)


def compute(session: Session, as_of: date) -> list[dict[str, Any]]:
    """Return one feature dict (with user_id) per learner with any activity up to as_of."""
    d = Dialect(session.get_bind().dialect.name)
    activity = _activity(session, d, as_of)
    streaks, mastery = _streaks(session, d, as_of), _mastery(session, d, as_of)
    rows = []
    for uid in sorted(activity):
        f = activity[uid]
        f["streak_days"] = streaks.get(uid, 0)
        f["mastery"] = mastery.get(uid)
        f["churn_risk"] = churn_risk(f)
        rows.append({"user_id": uid, **{k: f[k] for k in FEATURES}})
    return rows


def snapshot(session: Session, as_of: date) -> list[dict[str, Any]]:
    """Compute the features as of a date and store them (replacing that date's snapshot)."""
    rows = compute(session, as_of)
    table = LearnerFeatureSnapshot.__table__
    session.execute(table.delete().where(table.c.feature_set == FEATURE_SET, table.c.as_of == as_of))
    if rows:
        payload = [
            {"user_id": r["user_id"], "as_of": as_of, "feature_set": FEATURE_SET, "version": VERSION,
             "features": {k: r[k] for k in FEATURES}}
            for r in rows
        ]  # fmt: skip
        session.execute(table.insert(), payload)
    return rows


def write_csv(handle: IO[str], rows: Sequence[dict[str, Any]]) -> None:
    """Write feature rows as CSV (user_id, then each feature)."""
    header = ["user_id", *FEATURES]
    write_rows(handle, header, ([r["user_id"], *(r[k] for k in FEATURES)] for r in rows))
