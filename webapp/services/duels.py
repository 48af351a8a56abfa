"""Duels between two learners: challenge, accept or decline, complete, expire.

pending --accept--> active --complete--> completed
pending --decline--> declined
pending/active --expire (past expires_at)--> expired
Completing sets each side's outcome from the scores; the winner gets DUEL_WIN_POINTS, and on
a draw both get DUEL_DRAW_POINTS, through the ledger with the key `duel:<duel id>:<user id>`
(the same key the activity rules use, so a recompute never pays twice).
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Duel, DuelParticipant, User
from webapp.models.core.enums import DuelOutcome, DuelStatus, PointsReason
from webapp.models.core.mixins import utcnow
from webapp.services.points import DUEL_DRAW_POINTS, DUEL_WIN_POINTS, award_points

DEFAULT_TTL = timedelta(days=2)


class DuelError(ValueError):
    """A duel operation that the rules do not allow."""


class DuelStateError(DuelError):
    """A transition that the duel's current status does not allow."""


def _duel(session: Session, duel_id: int) -> Duel:
    duel = session.get(Duel, duel_id, with_for_update=True)
    if duel is None:
        raise DuelError(f"no duel {duel_id}")
    return duel


def _require(duel: Duel, *allowed: DuelStatus, action: str) -> None:
    if duel.status not in allowed:
        raise DuelStateError(f"cannot {action} duel {duel.id}: it is {duel.status.value}")


def challenge(
    session: Session,
    challenger_id: int,
    opponent_id: int,
    *,
    skill_id: int | None = None,
    now: datetime | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> Duel:
    """Create a pending duel and both participants; it expires after ttl unless accepted."""
    if challenger_id == opponent_id:
        raise DuelError("a learner cannot duel themselves")
    for user_id in (challenger_id, opponent_id):
        if session.get(User, user_id) is None:
            raise DuelError(f"no user {user_id}")
    now = now or utcnow()
    duel = Duel(
        challenger_id=challenger_id,
        opponent_id=opponent_id,
        skill_id=skill_id,
        created_at=now,
        expires_at=now + ttl,
    )
    duel.participants = [DuelParticipant(user_id=challenger_id), DuelParticipant(user_id=opponent_id)]
    session.add(duel)
    session.flush()
    return duel


def accept(session: Session, duel_id: int, user_id: int, *, now: datetime | None = None) -> Duel:
    """Let the opponent accept a pending duel, which becomes active."""
    duel = _duel(session, duel_id)
    now = now or utcnow()
    _require(duel, DuelStatus.PENDING, action="accept")
    if user_id != duel.opponent_id:
        raise DuelError(f"only the opponent can accept duel {duel.id}")
    if duel.expires_at is not None and duel.expires_at <= now:
        raise DuelStateError(f"cannot accept duel {duel.id}: it expired at {duel.expires_at:%Y-%m-%d %H:%M}")
    duel.status, duel.started_at = DuelStatus.ACTIVE, now
    session.flush()
    return duel


def decline(session: Session, duel_id: int, user_id: int, *, now: datetime | None = None) -> Duel:
    """Let the opponent decline a pending duel."""
    duel = _duel(session, duel_id)
    _require(duel, DuelStatus.PENDING, action="decline")
    if user_id != duel.opponent_id:
        raise DuelError(f"only the opponent can decline duel {duel.id}")
    duel.status, duel.ended_at = DuelStatus.DECLINED, now or utcnow()
    session.flush()
    return duel


def complete(
    session: Session, duel_id: int, scores: Mapping[int, int], *, now: datetime | None = None
) -> Duel:
    """Finish an active duel with both sides' scores: set outcomes and winner, pay points."""
    duel = _duel(session, duel_id)
    _require(duel, DuelStatus.ACTIVE, action="complete")
    sides = {p.user_id: p for p in duel.participants}
    if set(scores) != set(sides) or any(s < 0 for s in scores.values()):
        raise DuelError(f"duel {duel.id} needs a non-negative score for each of users {sorted(sides)}")
    best = max(scores.values())
    leaders = [user_id for user_id, score in scores.items() if score == best]
    for user_id, side in sides.items():
        side.score = scores[user_id]
        side.outcome = DuelOutcome.DRAW if len(leaders) > 1 else (
            DuelOutcome.WON if user_id in leaders else DuelOutcome.LOST
        )  # fmt: skip
    duel.status, duel.ended_at = (
        DuelStatus.COMPLETED,
        max(now or utcnow(), duel.started_at or duel.created_at),
    )
    duel.winner_id = leaders[0] if len(leaders) == 1 else None
    session.flush()
    _pay(session, duel, sides.values())
    return duel


def _pay(session: Session, duel: Duel, sides) -> None:
    for side in sides:
        if side.outcome == DuelOutcome.LOST:
            continue
        won = side.outcome == DuelOutcome.WON
        award_points(
            session,
            side.user_id,
            DUEL_WIN_POINTS if won else DUEL_DRAW_POINTS,
            PointsReason.DUEL_WON if won else PointsReason.DUEL_DRAW,
            f"duel:{duel.id}:{side.user_id}",
            source_type="duel",
            source_id=duel.id,
            created_at=duel.ended_at,
        )


def expire(session: Session, duel_id: int, *, now: datetime | None = None) -> Duel:
    """Expire one pending or active duel whose time is up."""
    duel = _duel(session, duel_id)
    now = now or utcnow()
    _require(duel, DuelStatus.PENDING, DuelStatus.ACTIVE, action="expire")
    if duel.expires_at is None or duel.expires_at > now:
        raise DuelStateError(f"cannot expire duel {duel.id}: it has not reached its expiry time")
    duel.status, duel.ended_at = DuelStatus.EXPIRED, max(now, duel.started_at or duel.created_at)
    session.flush()
    return duel


def expire_due(session: Session, *, now: datetime | None = None) -> int:
    """Expire every pending or active duel past its expiry time; return how many."""
    now = now or utcnow()
    query = select(Duel.id).where(
        Duel.status.in_([DuelStatus.PENDING, DuelStatus.ACTIVE]), Duel.expires_at <= now
    )
    due = list(session.scalars(query))
    for duel_id in due:
        expire(session, duel_id, now=now)
    return len(due)
