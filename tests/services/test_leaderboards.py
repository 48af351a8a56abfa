"""Leaderboards: competition ranking, periods, snapshots with previous ranks, group boards."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.factories import make_group, make_leaderboard, make_learner, make_member
from webapp.models import LeaderboardEntry
from webapp.models.core.enums import LeaderboardPeriod, PointsReason
from webapp.services.leaderboards import Ranked, next_period, period_start, rank_scores, snapshot_leaderboards
from webapp.services.points import award_points

MONDAY = date(2024, 3, 4)


def test_ties_share_a_rank_and_the_next_one_skips() -> None:
    ranked = rank_scores({1: 50, 2: 30, 3: 30, 4: 10, 5: 50})
    assert [(r.user_id, r.rank) for r in ranked] == [(1, 1), (5, 1), (2, 3), (3, 3), (4, 5)]


def test_an_empty_period_ranks_nobody() -> None:
    assert rank_scores({}) == []


@given(st.dictionaries(st.integers(1, 500), st.integers(-20, 60), max_size=40))
def test_rank_is_one_plus_the_number_of_strictly_better_scores(scores: dict[int, int]) -> None:
    ranked = rank_scores(scores)
    assert sorted(r.user_id for r in ranked) == sorted(scores)
    for entry in ranked:
        assert entry == Ranked(
            entry.user_id, scores[entry.user_id], 1 + sum(s > entry.score for s in scores.values())
        )
    assert [r.score for r in ranked] == sorted(scores.values(), reverse=True)


def test_periods_start_on_monday_and_on_the_first() -> None:
    sunday = date(2024, 3, 10)
    assert period_start(LeaderboardPeriod.WEEKLY, sunday) == MONDAY
    assert period_start(LeaderboardPeriod.MONTHLY, sunday) == date(2024, 3, 1)
    assert next_period(LeaderboardPeriod.MONTHLY, date(2024, 1, 1)) == date(2024, 2, 1)
    assert next_period(LeaderboardPeriod.MONTHLY, date(2024, 12, 1)) == date(2025, 1, 1)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def entries(session, board_id: int, start: date) -> list[tuple]:
    query = select(
        LeaderboardEntry.user_id,
        LeaderboardEntry.score,
        LeaderboardEntry.rank,
        LeaderboardEntry.previous_rank,
    )
    query = query.where(LeaderboardEntry.leaderboard_id == board_id, LeaderboardEntry.period_start == start)
    return sorted(session.execute(query).all(), key=lambda row: (row[2], row[0]))


def test_weekly_snapshots_carry_the_previous_rank_and_skip_empty_weeks(session) -> None:
    weekly = make_leaderboard(session, period=LeaderboardPeriod.WEEKLY)
    ann, bob, cat = (make_learner(session) for _ in range(3))
    for user, amount, day in [
        (ann, 30, MONDAY),
        (bob, 30, MONDAY),
        (cat, 10, MONDAY + timedelta(days=6)),
        (cat, 50, MONDAY + timedelta(days=14)),
        (ann, 5, MONDAY + timedelta(days=15)),
    ]:
        award_points(
            session, user.id, amount, PointsReason.ADJUSTMENT, f"{user.id}:{day}", created_at=at(day)
        )
    today = MONDAY + timedelta(days=16)
    assert snapshot_leaderboards(session, today=today) == 5
    assert entries(session, weekly.id, MONDAY) == [
        (ann.id, 30, 1, None),
        (bob.id, 30, 1, None),
        (cat.id, 10, 3, None),
    ]
    assert entries(session, weekly.id, MONDAY + timedelta(days=7)) == []
    assert entries(session, weekly.id, MONDAY + timedelta(days=14)) == [
        (cat.id, 50, 1, None),
        (ann.id, 5, 2, None),
    ]
    assert snapshot_leaderboards(session, today=today) == 0


def test_all_time_and_group_boards(session) -> None:
    group = make_group(session)
    all_time = make_leaderboard(session, period=LeaderboardPeriod.ALL_TIME)
    group_board = make_leaderboard(session, period=LeaderboardPeriod.MONTHLY, study_group=group)
    ann, bob = make_learner(session), make_learner(session)
    make_member(session, group=group, user=bob)
    award_points(session, ann.id, 40, PointsReason.ADJUSTMENT, "a1", created_at=at(MONDAY))
    award_points(session, bob.id, 10, PointsReason.ADJUSTMENT, "b1", created_at=at(MONDAY))
    award_points(
        session, bob.id, 35, PointsReason.ADJUSTMENT, "b2", created_at=at(MONDAY + timedelta(days=8))
    )
    snapshot_leaderboards(session, today=MONDAY + timedelta(days=9))
    assert entries(session, all_time.id, MONDAY) == [(ann.id, 40, 1, None), (bob.id, 10, 2, None)]
    second = MONDAY + timedelta(days=7)
    assert entries(session, all_time.id, second) == [(bob.id, 45, 1, 2), (ann.id, 40, 2, 1)]
    assert entries(session, group_board.id, date(2024, 3, 1)) == [(bob.id, 45, 1, None)]


def test_minutes_and_quizzes_boards_follow_their_rules(session) -> None:
    from tests.factories import make_quiz_attempt, make_session
    from webapp.models.core.enums import LeaderboardMetric

    minutes = make_leaderboard(
        session, period=LeaderboardPeriod.WEEKLY, metric=LeaderboardMetric.LEARNING_MINUTES
    )
    quizzes = make_leaderboard(
        session, period=LeaderboardPeriod.MONTHLY, metric=LeaderboardMetric.QUIZZES_PASSED
    )
    ann, bob = make_learner(session), make_learner(session)
    # Ann: 25 + 9.5 minutes (one session unfinished still counts: the dashboards' minutes); Bob: 59 s.
    make_session(session, user=ann, started_at=at(MONDAY), duration_seconds=1500)
    make_session(
        session, user=ann, started_at=at(MONDAY), duration_seconds=570, is_completed=False, ended_at=None
    )
    make_session(session, user=bob, started_at=at(MONDAY), duration_seconds=59)
    make_session(session, user=bob, started_at=at(MONDAY - timedelta(days=1)), duration_seconds=6000)
    # Passed means at least 60%: Bob 2 of 3, Ann 0 of 1 (not on the board).
    for user, score in [(bob, 60.0), (bob, 95.0), (bob, 59.0), (ann, 10.0)]:
        make_quiz_attempt(session, user=user, started_at=at(MONDAY), submitted_at=at(MONDAY), score=score)
    snapshot_leaderboards(session, since=MONDAY, today=MONDAY + timedelta(days=1))
    assert entries(session, minutes.id, MONDAY) == [(ann.id, 34, 1, None), (bob.id, 0, 2, None)]
    assert entries(session, quizzes.id, date(2024, 3, 1)) == [(bob.id, 2, 1, None)]
