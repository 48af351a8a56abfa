"""The at-risk rules against a plain reading of their documented text, over random calendars.

Each learner gets a random calendar of learner-days (activity, minutes, focus, streak days,
quizzes) and a random average mastery; the oracle applies the rules of
`webapp.services.analytics.risk.RULES` in plain Python, day by day, and the flags the
refresh would write must be exactly those.
"""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from tests import factories as f
from webapp.extensions import db
from webapp.models import LearnerDay, LearnerRiskFlag, SkillMastery
from webapp.services.analytics import risk
from webapp.services.analytics.sql import connection

AS_OF = date(2024, 6, 30)

day_record = st.fixed_dictionaries(
    {
        "offset": st.integers(0, 89),  # days before AS_OF
        "is_active": st.booleans(),
        "learning_minutes": st.integers(0, 90),
        "focus_sessions": st.integers(0, 3),
        "focus_score": st.integers(0, 100),
        "kept_streak": st.booleans(),
        "quiz_attempts": st.integers(0, 2),
        "quiz_percent": st.integers(0, 100),
    }
)
# Runs of consecutive streak days make the streak rule fire often enough to matter.
streak_run = st.tuples(st.integers(0, 80), st.integers(1, 14))
learner = st.fixed_dictionaries(
    {
        "days": st.lists(day_record, max_size=60, unique_by=lambda r: r["offset"]),
        "streak_runs": st.lists(streak_run, max_size=2),
        "mastery": st.none() | st.floats(0, 1),
    }
)


def calendar(spec: dict) -> dict[date, dict]:
    """The learner's days as the rules see them (streak runs set kept_streak)."""
    days = {AS_OF - timedelta(days=r["offset"]): dict(r) for r in spec["days"]}
    for start, length in spec["streak_runs"]:
        for k in range(length):
            day = AS_OF - timedelta(days=start + k)
            days.setdefault(day, {"is_active": True, "learning_minutes": 20, "focus_sessions": 0,
                                  "focus_score": 0, "quiz_attempts": 0, "quiz_percent": 0})  # fmt: skip
            days[day]["kept_streak"] = True
    for row in days.values():
        row.setdefault("kept_streak", False)
    return days


def oracle(days: dict[date, dict], mastery: float | None) -> set[str]:
    """The rules of risk.RULES, read literally."""
    fired = set()
    window = {d: r for d, r in days.items() if AS_OF - timedelta(days=35) < d <= AS_OF}
    recent = {d: r for d, r in window.items() if d > AS_OF - timedelta(days=7)}
    before = {d: r for d, r in window.items() if d <= AS_OF - timedelta(days=7)}
    if not any(r["is_active"] for r in recent.values()) and sum(r["is_active"] for r in before.values()) >= 8:
        fired.add("went_quiet")
    weekly = sum(r["learning_minutes"] for r in before.values()) / 4
    if window and weekly >= 30 and sum(r["learning_minutes"] for r in recent.values()) <= 0.7 * weekly:
        fired.add("minutes_down")
    r_n = sum(r["focus_sessions"] for r in recent.values())
    p_n = sum(r["focus_sessions"] for r in before.values())
    if r_n and p_n:
        r_avg = sum(r["focus_score"] * r["focus_sessions"] for r in recent.values()) / r_n
        p_avg = sum(r["focus_score"] * r["focus_sessions"] for r in before.values()) / p_n
        if p_avg > 0 and r_avg <= 0.7 * p_avg:
            fired.add("focus_down")
    # A streak of 7+ days that ended within the last 7 days (and is not still going today).
    streak_days = sorted(d for d, r in days.items() if r["kept_streak"] and d > AS_OF - timedelta(days=90))
    runs, current = [], []
    for d in streak_days:
        if current and d == current[-1] + timedelta(days=1):
            current.append(d)
        else:
            current = [d]
            runs.append(current)
    if any(len(run) >= 7 and AS_OF - timedelta(days=7) <= run[-1] < AS_OF for run in runs):
        fired.add("streak_broken")
    quiz = {d: r for d, r in days.items() if r["quiz_attempts"] and AS_OF - timedelta(days=42) < d}
    q_recent = [r for d, r in quiz.items() if d > AS_OF - timedelta(days=14)]
    q_before = [r for d, r in quiz.items() if d <= AS_OF - timedelta(days=14)]
    if mastery is not None and mastery < 0.4 and q_recent and q_before:

        def avg(rows: list[dict]) -> float:
            return sum(r["quiz_percent"] * r["quiz_attempts"] for r in rows) / sum(
                r["quiz_attempts"] for r in rows
            )

        if avg(q_recent) < avg(q_before):
            fired.add("low_mastery")
    return fired


@settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(learners=st.lists(learner, min_size=1, max_size=4))
def test_the_rules_fire_exactly_as_documented(session, learners):
    for model in (LearnerRiskFlag, LearnerDay, SkillMastery):
        session.execute(delete(model))
    expected = {}
    for spec in learners:
        user = f.make_learner(session)
        days = calendar(spec)
        for day, r in days.items():
            session.add(
                LearnerDay(
                    user_id=user.id, day=day, is_active=r["is_active"],
                    learning_minutes=r["learning_minutes"], focus_sessions=r["focus_sessions"],
                    focus_score_sum=r["focus_score"] * r["focus_sessions"], kept_streak=r["kept_streak"],
                    quiz_attempts=r["quiz_attempts"], quiz_percent_sum=r["quiz_percent"] * r["quiz_attempts"],
                )
            )  # fmt: skip
        if spec["mastery"] is not None:
            f.make_mastery(session, user=user, mastery=spec["mastery"])
        expected[user.id] = oracle(days, spec["mastery"])
    session.commit()

    with connection(db.engine) as (conn, dialect):
        flags = risk.evaluate(conn, dialect, AS_OF)
    got = {uid: set() for uid in expected}
    for flag in flags:
        got[flag["user_id"]].add(flag["rule"])
    assert got == expected
    assert {flag["rule"] for flag in flags} <= set(risk.RULES)
