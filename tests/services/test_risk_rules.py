"""The at-risk rules against a plain reading of their documented text, over random calendars.

Each learner gets a random calendar of learner-days (activity, minutes, focus), streak days
and used freezes, and submitted quiz attempts on skills; the oracle applies the rules of
`webapp.services.analytics.risk.RULES` in plain Python, day by day (mastery by the rule of
`webapp.services.mastery`), and the flags the refresh would write must be exactly those.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from tests import factories as f
from webapp.extensions import db
from webapp.models import LearnerDay, LearnerRiskFlag, QuizAttempt, StreakActivity, StreakFreeze
from webapp.models.core.enums import Difficulty, FreezeOrigin, FreezeStatus, StreakSource
from webapp.services.analytics import risk
from webapp.services.analytics.sql import connection
from webapp.services.mastery import fold_attempts

AS_OF = date(2024, 6, 30)

day_record = st.fixed_dictionaries(
    {
        "offset": st.integers(0, 89),  # days before AS_OF
        "is_active": st.booleans(),
        "learning_minutes": st.integers(0, 90),
        "focus_sessions": st.integers(0, 3),
        "focus_score": st.integers(0, 100),
    }
)
quiz = st.fixed_dictionaries(
    {
        "offset": st.integers(0, 60),
        "skill": st.integers(0, 1),
        "percent": st.integers(0, 100),
        "difficulty": st.sampled_from(list(Difficulty)),
    }
)
# Runs of consecutive streak days make the streak rule fire often enough to matter.
streak_run = st.tuples(st.integers(0, 80), st.integers(1, 14))
learner = st.fixed_dictionaries(
    {
        "days": st.lists(day_record, max_size=60, unique_by=lambda r: r["offset"]),
        "streak_runs": st.lists(streak_run, max_size=2),
        "freeze_days": st.lists(st.integers(0, 80), max_size=3, unique=True),
        "quizzes": st.lists(quiz, max_size=12),
    }
)


def calendar(spec: dict) -> dict[date, dict]:
    """The learner's days as the rules see them (learner_days; quizzes on the day submitted)."""
    days = {
        AS_OF - timedelta(days=r["offset"]): dict(r, quiz_attempts=0, quiz_percent=0) for r in spec["days"]
    }
    blank = {"is_active": True, "learning_minutes": 0, "focus_sessions": 0, "focus_score": 0}
    for q in spec["quizzes"]:
        row = days.setdefault(
            AS_OF - timedelta(days=q["offset"]), dict(blank, quiz_attempts=0, quiz_percent=0)
        )
        row["quiz_attempts"] += 1
        row["quiz_percent"] += q["percent"]
    return days


def streak_days(spec: dict) -> tuple[set[date], set[date]]:
    """(active streak days, days a used freeze covered)."""
    active = {AS_OF - timedelta(days=s + k) for s, n in spec["streak_runs"] for k in range(n)}
    return active, {AS_OF - timedelta(days=k) for k in spec["freeze_days"]} - active


def mastery(spec: dict) -> float | None:
    """Average over skills of the mastery rule, over the attempts submitted up to AS_OF."""
    per_skill: dict[int, list] = {}
    for q in sorted(spec["quizzes"], key=lambda q: -q["offset"]):
        per_skill.setdefault(q["skill"], []).append((q["percent"], 100, q["difficulty"]))
    values = [fold_attempts(attempts) for attempts in per_skill.values()]
    return sum(values) / len(values) if values else None


def oracle(spec: dict) -> set[str]:
    """The rules of risk.RULES, read literally."""
    days = calendar(spec)
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
    if lost_streak(*streak_days(spec)):
        fired.add("streak_broken")
    quiz = {d: r for d, r in days.items() if r["quiz_attempts"] and AS_OF - timedelta(days=42) < d}
    q_recent = [r for d, r in quiz.items() if d > AS_OF - timedelta(days=14)]
    q_before = [r for d, r in quiz.items() if d <= AS_OF - timedelta(days=14)]
    m = mastery(spec)
    if m is not None and m < 0.4 and q_recent and q_before:

        def avg(rows: list[dict]) -> float:
            return sum(r["quiz_percent"] for r in rows) / sum(r["quiz_attempts"] for r in rows)

        if avg(q_recent) < avg(q_before):
            fired.add("low_mastery")
    return fired


def lost_streak(active: set[date], frozen: set[date]) -> bool:
    """A run of kept days (active or frozen) holding 7+ active days, lost within the last 7 days:
    its last day L is followed by a missed day L + 1 in AS_OF - 6 .. AS_OF - 1."""
    kept = sorted(active | frozen)
    runs: list[list[date]] = []
    for d in kept:
        if runs and d == runs[-1][-1] + timedelta(days=1):
            runs[-1].append(d)
        else:
            runs.append([d])
    return any(
        sum(d in active for d in run) >= 7
        and AS_OF - timedelta(days=6) <= run[-1] + timedelta(days=1) < AS_OF
        for run in runs
    )


def store(session, user_id: int, spec: dict) -> None:
    """Write the learner's days, streak days, used freezes and quiz attempts."""
    for day, r in calendar(spec).items():
        session.add(
            LearnerDay(
                user_id=user_id, day=day, is_active=r["is_active"], learning_minutes=r["learning_minutes"],
                focus_sessions=r["focus_sessions"], focus_score_sum=r["focus_score"] * r["focus_sessions"],
                quiz_attempts=r["quiz_attempts"], quiz_percent_sum=r["quiz_percent"],
            )
        )  # fmt: skip
    active, frozen = streak_days(spec)
    session.add_all(StreakActivity(user_id=user_id, day=d, source=StreakSource.SESSION) for d in active)
    session.add_all(
        StreakFreeze(user_id=user_id, origin=FreezeOrigin.EARNED, status=FreezeStatus.USED, used_on=d)
        for d in frozen
    )
    for k, q in enumerate(spec["quizzes"]):
        at = datetime.combine(AS_OF - timedelta(days=q["offset"]), time(12), tzinfo=UTC) + timedelta(
            seconds=k
        )
        session.add(QuizAttempt(
            user_id=user_id, skill_id=SKILLS[q["skill"]], started_at=at, submitted_at=at, score=q["percent"],
            max_score=100, total_questions=10, difficulty=q["difficulty"],
        ))  # fmt: skip


SKILLS: list[int] = []


@settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(learners=st.lists(learner, min_size=1, max_size=4))
def test_the_rules_fire_exactly_as_documented(session, learners):
    for model in (LearnerRiskFlag, LearnerDay, StreakActivity, StreakFreeze, QuizAttempt):
        session.execute(delete(model))
    SKILLS[:] = [f.make_skill(session).id for _ in range(2)]
    expected = {}
    for spec in learners:
        user = f.make_learner(session, timezone="UTC")
        store(session, user.id, spec)
        expected[user.id] = oracle(spec)
    session.commit()

    with connection(db.engine) as (conn, dialect):
        flags = risk.evaluate(conn, dialect, AS_OF)
    got = {uid: set() for uid in expected}
    for flag in flags:
        got[flag["user_id"]].add(flag["rule"])
    assert got == expected
    assert {flag["rule"] for flag in flags} <= set(risk.RULES)
