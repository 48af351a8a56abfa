"""Points adjustments by staff: bounded, checked against the balance they leave, and followed by boards.

An adjustment is a ledger transaction (reason "adjustment") like any other
(`points.award_points`). Before it is written:

- its size is at most `Limits.largest` points either way (POINTS_ADJUSTMENT_LIMIT, 5,000);
- the balance it leaves is at least `Limits.lowest_balance` (POINTS_LOWEST_BALANCE, 0):
  a removal of 100,000 points from a balance of 505 is refused, not recorded.

The same check runs when the operator is shown the resulting balance and again
when they confirm (the balance may have moved in between), with the learner's
balance row locked. Once written, the learner's local day is marked for the
engine and the analytics refresh (`marks`), and the leaderboards' current
periods are snapshotted again, so that no board shows a score the ledger no
longer holds.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import PointsTransaction, User, UserPoints
from webapp.models.core.enums import PointsReason
from webapp.services import marks
from webapp.services.leaderboards import snapshot_leaderboards
from webapp.services.points import PointsError, award_points
from webapp.services.timezones import learner_zone


@dataclass(frozen=True)
class Limits:
    """How far one adjustment may go."""

    largest: int = 5_000
    lowest_balance: int = 0


@dataclass(frozen=True)
class Plan:
    """An adjustment checked against the learner's balance: what it starts from and leaves."""

    learner_id: int
    balance: int
    amount: int

    @property
    def resulting(self) -> int:
        """The balance after the adjustment."""
        return self.balance + self.amount


class AdjustmentRefused(PointsError):
    """An adjustment outside the limits; the message says why, fit to show."""


def plan_adjustment(session: Session, learner: User, amount: int, limits: Limits) -> Plan:
    """Check an adjustment against the limits and the learner's (locked) balance; raise AdjustmentRefused."""
    if amount == 0:
        raise AdjustmentRefused("Give a non-zero number of points.")
    if abs(amount) > limits.largest:
        raise AdjustmentRefused(f"An adjustment may add or remove at most {limits.largest:,} points.")
    query = select(UserPoints.balance).where(UserPoints.user_id == learner.id).with_for_update()
    plan = Plan(learner.id, session.scalar(query) or 0, amount)
    if plan.resulting < limits.lowest_balance:
        raise AdjustmentRefused(
            f"This would leave {plan.resulting:,} points: {learner.display_name} has {plan.balance:,}, "
            f"and a balance may not go below {limits.lowest_balance:,}."
        )
    return plan


def apply_adjustment(
    session: Session,
    learner: User,
    amount: int,
    note: str,
    key: str,
    *,
    actor_id: int,
    limits: Limits,
    today: date | None = None,
) -> tuple[PointsTransaction | None, Plan]:
    """Check and record an adjustment, mark its day, update the boards; None if the key was used."""
    plan = plan_adjustment(session, learner, amount, limits)
    tx = award_points(
        session, learner.id, amount, PointsReason.ADJUSTMENT, f"admin-adjustment:{key}",
        source_type="admin", note=note, created_by_id=actor_id,
    )  # fmt: skip
    if tx is not None:
        local_day = tx.created_at.astimezone(learner_zone(learner.timezone)).date()
        marks.mark(session, [(learner.id, local_day)])
        today = today or datetime.now(UTC).date()
        snapshot_leaderboards(session, since=min(tx.created_at.astimezone(UTC).date(), today), today=today)
    return tx, plan
