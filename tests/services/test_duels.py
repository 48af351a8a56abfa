"""Duels: the state machine, outcomes and points."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_learner
from webapp.models import PointsTransaction, UserPoints
from webapp.models.core.enums import DuelOutcome, DuelStatus
from webapp.services import duels
from webapp.services.points import DUEL_DRAW_POINTS, DUEL_WIN_POINTS, apply_activity_points

NOW = datetime(2024, 3, 5, 10, tzinfo=UTC)


@pytest.fixture
def pair(session):
    return make_learner(session), make_learner(session)


def points_of(session, user_id: int) -> int:
    return session.scalar(select(UserPoints.balance).where(UserPoints.user_id == user_id)) or 0


def test_the_winner_gets_points_once(session, pair) -> None:
    ann, bob = pair
    duel = duels.challenge(session, ann.id, bob.id, now=NOW)
    duels.accept(session, duel.id, bob.id, now=NOW + timedelta(minutes=5))
    duels.complete(session, duel.id, {ann.id: 7, bob.id: 4}, now=NOW + timedelta(minutes=20))
    outcomes = {p.user_id: p.outcome for p in duel.participants}
    assert (duel.status, duel.winner_id) == (DuelStatus.COMPLETED, ann.id)
    assert outcomes == {ann.id: DuelOutcome.WON, bob.id: DuelOutcome.LOST}
    assert (points_of(session, ann.id), points_of(session, bob.id)) == (DUEL_WIN_POINTS, 0)
    assert apply_activity_points(session) == 0  # the recompute rule uses the same key


def test_a_draw_pays_both(session, pair) -> None:
    ann, bob = pair
    duel = duels.challenge(session, ann.id, bob.id, now=NOW)
    duels.accept(session, duel.id, bob.id, now=NOW)
    duels.complete(session, duel.id, {ann.id: 5, bob.id: 5}, now=NOW)
    assert duel.winner_id is None
    assert {p.outcome for p in duel.participants} == {DuelOutcome.DRAW}
    assert (points_of(session, ann.id), points_of(session, bob.id)) == (DUEL_DRAW_POINTS, DUEL_DRAW_POINTS)
    stamps = set(session.scalars(select(PointsTransaction.created_at)))
    assert stamps == {NOW}


def test_invalid_transitions_raise(session, pair) -> None:
    ann, bob = pair
    with pytest.raises(duels.DuelError, match="themselves"):
        duels.challenge(session, ann.id, ann.id)
    duel = duels.challenge(session, ann.id, bob.id, now=NOW)
    with pytest.raises(duels.DuelStateError, match=r"cannot complete duel \d+: it is pending"):
        duels.complete(session, duel.id, {ann.id: 1, bob.id: 0})
    with pytest.raises(duels.DuelError, match="only the opponent"):
        duels.accept(session, duel.id, ann.id, now=NOW)
    duels.accept(session, duel.id, bob.id, now=NOW)
    with pytest.raises(duels.DuelStateError, match="cannot accept"):
        duels.accept(session, duel.id, bob.id, now=NOW)
    with pytest.raises(duels.DuelError, match="score for each"):
        duels.complete(session, duel.id, {ann.id: 1})
    duels.complete(session, duel.id, {ann.id: 1, bob.id: 0}, now=NOW)
    with pytest.raises(duels.DuelStateError, match="it is completed"):
        duels.expire(session, duel.id, now=NOW + timedelta(days=9))
    with pytest.raises(duels.DuelError, match="no duel"):
        duels.accept(session, 424242, bob.id)


def test_expiry(session, pair) -> None:
    ann, bob = pair
    late = duels.challenge(session, ann.id, bob.id, now=NOW)
    fresh = duels.challenge(session, bob.id, ann.id, now=NOW + timedelta(days=2))
    with pytest.raises(duels.DuelStateError, match="expired"):
        duels.accept(session, late.id, bob.id, now=NOW + timedelta(days=3))
    with pytest.raises(duels.DuelStateError, match="not reached"):
        duels.expire(session, fresh.id, now=NOW + timedelta(days=3))
    assert duels.expire_due(session, now=NOW + timedelta(days=3)) == 1
    assert (late.status, fresh.status) == (DuelStatus.EXPIRED, DuelStatus.PENDING)
    declined = duels.decline(session, fresh.id, ann.id, now=NOW + timedelta(days=3))
    assert declined.status == DuelStatus.DECLINED
