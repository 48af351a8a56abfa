"""Change marks: ingest says which (learner, local day) pairs changed; jobs bring exactly those up to date.

- `mark()` records pairs for every consumer (by default `engine` and `refresh`),
  in the caller's transaction, so the marks commit with the raw rows they stand for.
- A consumer `claim()`s marks, recomputes what they name, then `release()`s the
  claim in the same transaction as its work. A pair marked again after the claim
  has a new version and survives the release, so late data is never dropped.
- Recomputing a pair twice is harmless (every consumer upserts), so a job that
  dies between its work and its release only does the work again.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from webapp.models.analytics.marks import ChangeMark
from webapp.models.core.mixins import utcnow

ENGINE = "engine"  # streaks, points, badges, boards, mastery, engagement profiles
REFRESH = "refresh"  # analytics rollups of the marked local days
CONSUMERS = (ENGINE, REFRESH)
BATCH = 1000


@dataclass(frozen=True)
class Claim:
    """Marks one consumer took: (learner, day, version) triples."""

    consumer: str
    marks: tuple[tuple[int, date, int], ...]

    @property
    def pairs(self) -> list[tuple[int, date]]:
        """The (learner, day) pairs claimed, in order."""
        return [(user_id, day) for user_id, day, _ in self.marks]

    @property
    def learners(self) -> list[int]:
        """The distinct learners claimed, ascending."""
        return sorted({user_id for user_id, _, _ in self.marks})

    @property
    def days(self) -> list[date]:
        """The distinct local days claimed, ascending."""
        return sorted({day for _, day, _ in self.marks})

    def __len__(self) -> int:
        return len(self.marks)


def mark(session: Session, pairs: Iterable[tuple[int, date]], consumers: Iterable[str] = CONSUMERS) -> int:
    """Mark (learner, local day) pairs as changed for each consumer; return marks written or bumped."""
    distinct = sorted(set(pairs))
    names = list(consumers)
    if not distinct or not names:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(ChangeMark)
    stmt = stmt.on_conflict_do_update(
        index_elements=["consumer", "user_id", "day"],
        set_={"version": ChangeMark.version + 1, "marked_at": stmt.excluded.marked_at},
    )
    now = utcnow()
    rows = [
        {"consumer": c, "user_id": u, "day": d, "version": 1, "marked_at": now}
        for c in names
        for u, d in distinct
    ]
    for i in range(0, len(rows), BATCH):
        session.execute(stmt, rows[i : i + BATCH])
    return len(rows)


def claim(session: Session, consumer: str, limit: int | None = None) -> Claim:
    """Return the consumer's pending marks, oldest days first (at most limit of them)."""
    m = ChangeMark
    query = (
        select(m.user_id, m.day, m.version)
        .where(m.consumer == consumer)
        .order_by(m.day, m.user_id)
        .limit(limit)
    )
    return Claim(consumer, tuple((u, d, v) for u, d, v in session.execute(query)))


def release(session: Session, taken: Claim) -> int:
    """Delete the claimed marks that nobody marked again since the claim; return how many went."""
    if not taken.marks:
        return 0
    t = ChangeMark.__table__
    stmt = delete(t).where(
        t.c.consumer == taken.consumer,
        t.c.user_id == bindparam("u"),
        t.c.day == bindparam("d"),
        t.c.version == bindparam("v"),
    )
    params = [{"u": u, "d": d, "v": v} for u, d, v in taken.marks]
    gone = 0
    connection = session.connection()
    for i in range(0, len(params), BATCH):
        gone += connection.execute(stmt, params[i : i + BATCH]).rowcount or 0
    return gone


def backlog(session: Session, consumer: str) -> int:
    """How many marks the consumer has still to work through."""
    return (
        session.scalar(select(func.count()).select_from(ChangeMark).where(ChangeMark.consumer == consumer))
        or 0
    )
