"""The feature store: per-learner features as of a date, from data up to that date only.

Every figure reads local days <= as_of (learner_days, the streak days, quiz attempts
submitted by then, on the learner's local day of submission). SkillMastery is not used: it
holds only the current value, which would leak the future into a past snapshot; mastery here
is the rule of `webapp.services.mastery` replayed over the attempts submitted up to as_of
(`mastery_as_of`; the at-risk rules read it for many days at once, `mastery_on_days`).
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

import itertools
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from typing import IO, Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

from webapp.models.analytics.ml_features import LearnerFeatureSnapshot
from webapp.services.analytics import streak_runs
from webapp.services.analytics.csvsafe import write_rows
from webapp.services.analytics.sql import Dialect, as_date
from webapp.services.mastery import update_mastery

FEATURE_SET = "engagement"
VERSION = 2  # 2: mastery by the rule of services.mastery; streak_days counts active days only
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
    """Active days of the streak alive on as_of (see streak_runs: freeze days do not count)."""
    alive = streak_runs.runs(session.connection(), d, as_of, as_of - timedelta(days=1))
    return {uid: length for uid, _first, _last, length in alive}


def mastery_as_of(
    conn: Connection, d: Dialect, as_of: date, user_ids: Sequence[int] | None = None
) -> dict[int, float]:
    """Return each learner's mastery averaged over their skills, from quizzes submitted up to as_of.

    Per skill, the rule of webapp.services.mastery (a difficulty-weighted moving average over
    submitted attempts in submission order); then the plain mean over the learner's skills.
    """
    sql = """
        SELECT q.user_id, q.skill_id, q.score, q.max_score, q.difficulty
        FROM quiz_attempts q
        WHERE q.skill_id IS NOT NULL AND q.submitted_at IS NOT NULL AND q.local_day <= :as_of {users}
        ORDER BY q.user_id, q.skill_id, q.submitted_at, q.id"""
    params: dict[str, Any] = {"as_of": d.day(as_of)}
    query = text(sql.format(users=""))
    if user_ids is not None:
        query = text(sql.format(users="AND q.user_id IN :ids")).bindparams(bindparam("ids", expanding=True))
        params["ids"] = list(user_ids)
    skills: dict[tuple[int, int], float] = {}
    for uid, skill_id, score, max_score, difficulty in conn.execute(query, params):
        key = (uid, skill_id)
        correctness = float(score) / float(max_score) if max_score else 0.0
        skills[key] = update_mastery(skills.get(key, 0.0), correctness, difficulty)
    per_learner: dict[int, list[float]] = {}
    for (uid, _skill), value in skills.items():
        per_learner.setdefault(uid, []).append(value)
    return {uid: sum(values) / len(values) for uid, values in per_learner.items()}


def mastery_on_days(
    conn: Connection, d: Dialect, wanted: dict[date, Sequence[int]]
) -> dict[date, dict[int, float]]:
    """Return mastery_as_of(day, learners) for each day and its learners, reading the quizzes once.

    Each (learner, skill)'s attempts are folded once in submission order, keeping the mastery after
    each; as of a day, a skill's mastery is the one after its last attempt submitted by then. The
    local days of a learner's attempts follow their submission order (one time zone); where they do
    not (the learner moved across zones), the skill is folded again for that day alone.
    """
    if not wanted:
        return {}
    users = sorted({uid for ids in wanted.values() for uid in ids})
    sql = text("""
        SELECT q.user_id, q.skill_id, q.local_day, q.score, q.max_score, q.difficulty
        FROM quiz_attempts q
        WHERE q.skill_id IS NOT NULL AND q.submitted_at IS NOT NULL AND q.local_day <= :last
          AND q.user_id IN :ids
        ORDER BY q.user_id, q.skill_id, q.submitted_at, q.id""").bindparams(bindparam("ids", expanding=True))
    # (learner, skill) -> [(local day, correctness, difficulty, mastery after it)], in submission order
    folds: dict[int, dict[int, list[tuple[date, float, Any, float]]]] = {}
    for k in range(0, len(users), 5000):
        params = {"last": d.day(max(wanted)), "ids": users[k : k + 5000]}
        for uid, skill_id, day, score, max_score, difficulty in conn.execute(sql, params):
            steps = folds.setdefault(uid, {}).setdefault(skill_id, [])
            correctness = float(score) / float(max_score) if max_score else 0.0
            after = update_mastery(steps[-1][3] if steps else 0.0, correctness, difficulty)
            steps.append((as_date(day), correctness, difficulty, after))
    skills = {uid: [_SkillFold(steps) for steps in by_skill.values()] for uid, by_skill in folds.items()}
    out: dict[date, dict[int, float]] = {}
    for day, ids in wanted.items():
        found = out.setdefault(day, {})
        for uid in ids:
            values = [v for fold in skills.get(uid, ()) if (v := fold.on(day)) is not None]
            if values:
                found[uid] = sum(values) / len(values)
    return out


class _SkillFold:
    """One learner's attempts at one skill, folded once: the mastery as of any day."""

    def __init__(self, steps: list[tuple[date, float, Any, float]]) -> None:
        self.steps = steps
        self.days = [s[0] for s in steps]
        self.in_order = all(a <= b for a, b in itertools.pairwise(self.days))

    def on(self, day: date) -> float | None:
        """The mastery after the attempts submitted by day (None: none yet)."""
        if self.in_order:
            k = bisect_right(self.days, day)
            return self.steps[k - 1][3] if k else None
        mastery, seen = 0.0, False
        for on, correctness, difficulty, _ in self.steps:
            if on <= day:
                mastery, seen = update_mastery(mastery, correctness, difficulty), True
        return mastery if seen else None


def _mastery(session: Session, d: Dialect, as_of: date) -> dict[int, float]:
    """Average skill mastery as of as_of, rounded for the snapshot."""
    return {uid: round(m, 4) for uid, m in mastery_as_of(session.connection(), d, as_of).items()}


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
