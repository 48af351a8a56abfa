"""Skill mastery: the update rule stays within 0..1 and the rebuild follows it."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.factories import make_learner, make_quiz_attempt, make_skill
from webapp.models import SkillMastery
from webapp.models.core.enums import Difficulty
from webapp.services.mastery import fold_attempts, rebuild_mastery, update_mastery

attempts = st.lists(
    st.tuples(st.floats(0, 100), st.floats(0.5, 100), st.sampled_from(list(Difficulty))), max_size=60
)


@given(st.floats(0, 1), st.floats(-5, 5, allow_nan=False), st.sampled_from(list(Difficulty)))
def test_one_update_stays_within_0_and_1(mastery: float, correctness: float, difficulty: Difficulty) -> None:
    assert 0.0 <= update_mastery(mastery, correctness, difficulty) <= 1.0


@given(attempts)
def test_any_history_stays_within_0_and_1(history: list) -> None:
    clipped = [(min(score, top), top, difficulty) for score, top, difficulty in history]
    assert 0.0 <= fold_attempts(clipped) <= 1.0


def test_harder_quizzes_move_mastery_further() -> None:
    easy = update_mastery(0.5, 1.0, Difficulty.EASY)
    hard = update_mastery(0.5, 1.0, Difficulty.HARD)
    assert 0.5 < easy < hard < 1.0
    assert fold_attempts([(100, 100, Difficulty.HARD)] * 200) == pytest.approx(1.0)


def test_rebuild_folds_attempts_in_submission_order(session) -> None:
    learner, skill = make_learner(session), make_skill(session)
    start = datetime(2024, 3, 1, 9, tzinfo=UTC)
    scores = [(40.0, Difficulty.MEDIUM), (90.0, Difficulty.HARD), (70.0, Difficulty.EASY)]
    for n, (score, difficulty) in enumerate(scores):
        begun = start + timedelta(days=n)
        make_quiz_attempt(
            session,
            user=learner,
            skill=skill,
            score=score,
            difficulty=difficulty,
            started_at=begun,
            submitted_at=begun + timedelta(minutes=9),
        )
    make_quiz_attempt(session, user=learner, skill=skill, submitted_at=None)  # not submitted: ignored
    assert rebuild_mastery(session) == 1
    row = session.scalars(select(SkillMastery).where(SkillMastery.user_id == learner.id)).one()
    expected = fold_attempts([(s, 100.0, d) for s, d in scores])
    assert row.mastery == pytest.approx(expected, abs=1e-6)
    assert row.attempts == 3
    assert row.last_practiced_at == start + timedelta(days=2, minutes=9)
    assert rebuild_mastery(session) == 0
