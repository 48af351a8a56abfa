"""Streak rules: property tests against a brute-force oracle, local days, and the DB rebuild."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.factories import make_learner, make_quiz_attempt, make_session, make_streak_freeze
from webapp.models import StreakActivity, StreakFreeze, UserStreak
from webapp.models.core.enums import FreezeStatus, StreakSource
from webapp.services.streaks import MAX_FREEZES, StreakState, compute_streak, rebuild_streaks

TODAY = date(2024, 3, 20)
ZONES = ["Asia/Kolkata", "America/Los_Angeles", "UTC"]


def oracle(active: list[date], grants: list[date], today: date) -> StreakState:
    """Walk every calendar day, one at a time, applying the rules literally."""
    days = {d for d in active if d <= today}
    grants = [min(g, today) for g in grants]
    if not days and not grants:
        return StreakState(freeze_outcomes=())
    day = min(days | set(grants))
    equipped: list[int] = []
    outcomes: list = [None] * len(grants)
    current = longest = 0
    started = None
    used, reached = [], []
    while day <= today:
        for index, granted in enumerate(grants):
            if granted == day:
                outcomes[index] = (FreezeStatus.EQUIPPED, None)
                if len(equipped) < MAX_FREEZES:
                    equipped.append(index)
                else:
                    outcomes[index] = (FreezeStatus.EXPIRED, None)
        if day in days:
            started = day if current == 0 else started
            current += 1
            if current > longest:
                longest = current
                reached.append(day)
        elif day < today and current > 0:
            if equipped:
                outcomes[equipped.pop(0)] = (FreezeStatus.USED, day)
                used.append(day)
            else:
                current, started = 0, None
        day += timedelta(days=1)
    return StreakState(
        current,
        longest,
        started,
        max(days, default=None),
        len(equipped),
        tuple(used),
        tuple(outcomes),
        tuple(reached),
    )


calendars = st.lists(st.integers(min_value=0, max_value=60), max_size=45)
freeze_grants = st.lists(st.integers(min_value=0, max_value=62), max_size=6)


@given(calendars, freeze_grants)
@settings(max_examples=400)
def test_streak_matches_the_brute_force_oracle(offsets: list[int], grant_offsets: list[int]) -> None:
    start = TODAY - timedelta(days=60)
    active = sorted({start + timedelta(days=n) for n in offsets})
    grants = sorted(start + timedelta(days=n) for n in grant_offsets)
    assert compute_streak(active, grants, TODAY) == oracle(active, grants, TODAY)


@given(calendars)
def test_without_freezes_the_streak_is_the_run_ending_today_or_yesterday(offsets: list[int]) -> None:
    active = {TODAY - timedelta(days=n) for n in offsets}
    state = compute_streak(sorted(active), [], TODAY)
    end = TODAY if TODAY in active else TODAY - timedelta(days=1)
    run = 0
    while end - timedelta(days=run) in active:
        run += 1
    assert state.current == run
    assert state.longest >= state.current
    assert state.freeze_days_used == ()


@given(calendars, freeze_grants)
def test_invariants(offsets: list[int], grant_offsets: list[int]) -> None:
    start = TODAY - timedelta(days=60)
    active = sorted({start + timedelta(days=n) for n in offsets})
    grants = sorted(start + timedelta(days=n) for n in grant_offsets)
    state = compute_streak(active, grants, TODAY)
    assert 0 <= state.freezes_equipped <= MAX_FREEZES
    assert 0 <= state.current <= state.longest == len(state.reached_on)
    assert not set(state.freeze_days_used) & set(active)
    assert len(state.freeze_outcomes) == len(grants)
    assert (state.current > 0) == (state.started_on is not None)


def d(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_a_freeze_keeps_the_length_without_growing_it() -> None:
    state = compute_streak([d(4), d(3), d(1), d(0)], [d(10)], TODAY)
    assert (state.current, state.started_on, state.freeze_days_used) == (4, d(4), (d(2),))
    assert state.freezes_equipped == 0


def test_two_misses_with_one_freeze_break_the_streak() -> None:
    state = compute_streak([d(5), d(4), d(1), d(0)], [d(10)], TODAY)
    assert (state.current, state.longest, state.started_on) == (2, 2, d(1))
    assert state.freeze_days_used == (d(3),)


def test_two_equipped_freezes_cover_two_misses_and_a_third_is_wasted() -> None:
    state = compute_streak([d(5), d(4), d(1)], [d(9), d(8), d(7)], TODAY)
    assert state.current == 3
    assert [o[0] for o in state.freeze_outcomes] == [
        FreezeStatus.USED,
        FreezeStatus.USED,
        FreezeStatus.EXPIRED,
    ]


def test_today_without_activity_is_not_a_miss_yet() -> None:
    state = compute_streak([d(2), d(1)], [], TODAY)
    assert state.current == 2
    assert compute_streak([d(2)], [], TODAY).current == 0


# the database rebuild ----------------------------------------------------------------------


def local(tz: str, day: date, hour: int, minute: int) -> datetime:
    """An aware UTC instant at a local wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def stored_days(session, user_id: int) -> dict[date, StreakSource]:
    rows = session.execute(
        select(StreakActivity.day, StreakActivity.source).where(StreakActivity.user_id == user_id)
    )
    return dict(rows.all())


@pytest.mark.parametrize("tz", ["Asia/Kolkata", "America/Los_Angeles"])
def test_a_day_ends_at_local_midnight(session, tz: str) -> None:
    learner = make_learner(session, timezone=tz)
    late, early = local(tz, d(2), 23, 59), local(tz, d(1), 0, 0)
    make_session(session, user=learner, started_at=late - timedelta(minutes=20), ended_at=late)
    make_quiz_attempt(session, user=learner, started_at=early - timedelta(minutes=5), submitted_at=early)
    rebuild_streaks(session, [learner.id], today=TODAY)
    assert stored_days(session, learner.id) == {d(2): StreakSource.SESSION, d(1): StreakSource.QUIZ}
    streak = session.get(UserStreak, learner.id)
    assert (streak.current_length, streak.started_on, streak.last_active_on) == (2, d(2), d(1))


@given(
    tz=st.sampled_from(ZONES),
    moments=st.lists(
        st.tuples(
            st.integers(0, 20),
            st.sampled_from([0, 1, 11, 12, 22, 23]),
            st.sampled_from([0, 1, 30, 59]),
            st.booleans(),
        ),
        max_size=12,
    ),
    grants=st.lists(st.integers(0, 22), max_size=3),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_rebuild_matches_the_oracle_in_local_time(session, tz: str, moments: list, grants: list[int]) -> None:
    learner = make_learner(session, timezone=tz)
    for back, hour, minute, is_quiz in moments:
        at = local(tz, d(back), hour, minute)
        if is_quiz:
            make_quiz_attempt(session, user=learner, started_at=at - timedelta(minutes=1), submitted_at=at)
        else:
            make_session(session, user=learner, started_at=at - timedelta(minutes=1), ended_at=at)
    for back in sorted(grants, reverse=True):
        make_streak_freeze(session, user=learner, acquired_at=local(tz, d(back), 9, 0))
    rebuild_streaks(session, [learner.id], today=TODAY)
    expected = oracle(sorted({d(m[0]) for m in moments}), sorted(d(g) for g in grants), TODAY)
    streak = session.get(UserStreak, learner.id)
    session.refresh(streak)
    assert (streak.current_length, streak.longest_length) == (expected.current, expected.longest)
    assert (streak.started_on, streak.last_active_on) == (expected.started_on, expected.last_active_on)
    assert streak.freezes_equipped == expected.freezes_equipped
    used = session.scalars(select(StreakFreeze.used_on).where(StreakFreeze.user_id == learner.id)).all()
    assert sorted(u for u in used if u) == sorted(expected.freeze_days_used)
    assert set(stored_days(session, learner.id)) == {d(m[0]) for m in moments}


def test_rebuild_is_stable_and_drops_days_whose_activity_is_gone(session) -> None:
    learner = make_learner(session, timezone="Asia/Kolkata")
    kept = make_session(session, user=learner, started_at=local("Asia/Kolkata", d(1), 10, 0))
    gone = make_session(session, user=learner, started_at=local("Asia/Kolkata", d(3), 10, 0))
    first = rebuild_streaks(session, [learner.id], today=TODAY)
    assert first["streak_days"] == 2
    assert rebuild_streaks(session, [learner.id], today=TODAY) == dict.fromkeys(first, 0)
    session.delete(gone)
    session.flush()
    assert rebuild_streaks(session, [learner.id], today=TODAY)["streak_days"] == 1
    assert set(stored_days(session, learner.id)) == {d(1)}
    assert kept.id
