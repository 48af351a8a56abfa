"""Streak runs in SQL against the streak rule itself (`streaks.compute_streak`), over random calendars.

The streak days and used freezes are stored as the engine derives them; the runs read back
from them, and the "streak broken" rule built on the runs, must say what replaying the
rule day by day says.
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from tests import factories as f
from webapp.extensions import db
from webapp.models import StreakActivity, StreakFreeze
from webapp.models.core.enums import FreezeOrigin, StreakSource
from webapp.services.analytics import risk, streak_runs
from webapp.services.analytics.sql import connection
from webapp.services.streaks import compute_streak

END = date(2024, 6, 30)
FIRST = END - timedelta(days=60)

learner = st.fixed_dictionaries(
    {
        # Long runs of active days with short gaps make streaks of 7+ days common.
        "runs": st.lists(st.tuples(st.integers(0, 58), st.integers(1, 12)), max_size=5),
        "grants": st.lists(st.integers(0, 60), max_size=4),
    }
)


def active_days(spec: dict) -> list[date]:
    days = {FIRST + timedelta(days=s + k) for s, n in spec["runs"] for k in range(n)}
    return sorted(d for d in days if d <= END)


def lost_streaks(active: list[date], grants: list[date], as_of: date) -> dict[int, int]:
    """{length: 1} for each streak of 7+ days lost within the 7 days to as_of, by replaying the rule."""
    found = {}
    for k in range(1, 7):
        missed = as_of - timedelta(days=k)
        before, after = (
            compute_streak(active, grants, missed),
            compute_streak(active, grants, missed + timedelta(days=1)),
        )
        if before.current >= risk.STREAK_DAYS and after.started_on != before.started_on:
            found[before.current] = 1
    return found


def store(session, spec: dict) -> tuple[int, list[date], list[date]]:
    user = f.make_learner(session, timezone="UTC")
    active = active_days(spec)
    grants = sorted(FIRST + timedelta(days=g) for g in spec["grants"])
    state = compute_streak(active, grants, END)
    session.add_all(StreakActivity(user_id=user.id, day=d, source=StreakSource.SESSION) for d in active)
    for grant, (status, used_on) in zip(grants, state.freeze_outcomes, strict=True):
        session.add(StreakFreeze(
            user_id=user.id, origin=FreezeOrigin.EARNED, status=status, used_on=used_on,
            acquired_at=datetime.combine(grant, time(6), tzinfo=UTC),
        ))  # fmt: skip
    return user.id, active, grants


@settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(learners=st.lists(learner, min_size=1, max_size=4), back=st.integers(0, 40))
def test_runs_and_lost_streaks_follow_the_streak_rule(session, learners, back):
    for model in (StreakActivity, StreakFreeze):
        session.execute(delete(model))
    stored = [store(session, spec) for spec in learners]
    session.commit()
    as_of = END - timedelta(days=back)
    with connection(db.engine) as (conn, dialect):
        alive = {
            uid: n
            for uid, _first, _last, n in streak_runs.runs(conn, dialect, as_of, as_of - timedelta(days=1))
        }
        flags = risk.evaluate_days(conn, dialect, [as_of])[as_of]
    for uid, active, grants in stored:
        state = compute_streak(active, grants, as_of)
        assert alive.get(uid, 0) == state.current, (uid, as_of)
        got = {
            int(flag["value"]): 1
            for flag in flags
            if flag["user_id"] == uid and flag["rule"] == "streak_broken"
        }
        assert got == lost_streaks(active, grants, as_of), (uid, as_of)


def test_a_run_is_alive_on_its_last_day_and_the_day_after():
    last = date(2024, 3, 8)
    assert streak_runs.alive_on(last, last)
    assert streak_runs.alive_on(last, last + timedelta(days=1))
    assert not streak_runs.alive_on(last, last + timedelta(days=2))
