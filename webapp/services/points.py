"""The points ledger: atomic awards, reversals, balances, and the points rules for activity.

Rules (points per activity; each applied once, keyed by its source):

| activity | points | idempotency key |
|---|---|---|
| completed learning session | 10 | `session:<session id>` |
| submitted quiz attempt scoring >= 60% | 20 | `quiz:<attempt id>` |
| duel won / drawn (each side) | 30 / 10 | `duel:<duel id>:<user id>` |

A transaction is stamped with the time of its activity (session end, quiz submission,
duel end), so that leaderboards count the points in the period they were earned, and
stores the learner-local day and hour of that time (`webapp.services.timezones`).

This module also holds the small bulk-SQL helpers that every engine module shares
(dialect upserts, change-only writes, learner chunks).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Select, String, Table, and_, bindparam, case, cast, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.models import Duel, DuelParticipant, LearningSession, PointsTransaction, QuizAttempt, User
from webapp.models import UserPoints as UserPointsModel
from webapp.models.core.enums import DuelOutcome, PointsReason, Role
from webapp.models.core.mixins import utcnow
from webapp.services.timezones import fill_local_times

SESSION_POINTS = 10
QUIZ_PASSED_POINTS = 20
QUIZ_PASS_RATIO = 0.6
DUEL_WIN_POINTS = 30
DUEL_DRAW_POINTS = 10

LEDGER = PointsTransaction.__table__
BALANCES = UserPointsModel.__table__
_LEDGER_COLS = ["user_id", "amount", "reason", "source_type", "source_id", "idempotency_key", "created_at"]


class PointsError(ValueError):
    """A ledger operation that cannot be done (zero amount, unknown transaction...)."""


# bulk SQL helpers --------------------------------------------------------------------------


def dialect_insert(session: Session, table: Table) -> Any:
    """Return an INSERT for table that supports ON CONFLICT on this session's backend."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise PointsError(f"unsupported database backend: {name}")


def write_changes(
    session: Session,
    table: Table,
    keys: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    existing: Mapping[tuple, tuple],
) -> int:
    """Insert rows whose key is new and update those whose values differ; return rows written."""
    values = None
    new, changed = [], []
    for row in rows:
        values = values or [c for c in row if c not in keys]
        old = existing.get(tuple(row[k] for k in keys))
        if old is None:
            new.append(dict(row))
        elif old != tuple(row[v] for v in values):
            changed.append({f"b_{c}": v for c, v in row.items()})
    bulk_insert(session, table, new)
    if changed:
        where = and_(*(table.c[k] == bindparam(f"b_{k}") for k in keys))
        stmt = update(table).where(where).values({v: bindparam(f"b_{v}") for v in values})
        session.execute(stmt, changed)
    return len(new) + len(changed)


def _driver_value(value: Any) -> Any:
    """Convert a value as SQLAlchemy's SQLite types store it (UTC text timestamps, ISO dates)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def bulk_insert(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows through the driver's executemany (SQLAlchemy's per-row work is the bottleneck)."""
    if not rows:
        return
    conn = session.connection()
    columns = list(rows[0])
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), list(rows))
        return
    defaults = _python_defaults(table, columns)
    columns += list(defaults)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})'  # noqa: S608
    conn.exec_driver_sql(sql, [tuple(_driver_value({**defaults, **row}[c]) for c in columns) for row in rows])


def _python_defaults(table: Table, given: Sequence[str]) -> dict[str, Any]:
    """Values of the Python-side column defaults that a raw INSERT would otherwise skip."""
    values = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None or not (default.is_scalar or default.is_callable):
            continue
        values[column.name] = default.arg(None) if default.is_callable else default.arg
    return values


def learner_chunks(session: Session, user_ids: Iterable[int] | None, size: int = 2000) -> Iterator[list[int]]:
    """Yield sorted chunks of learner ids (all learners when user_ids is None)."""
    query = select(User.id).where(User.role == Role.LEARNER).order_by(User.id)
    if user_ids is not None:
        query = query.where(User.id.in_(list(user_ids)))
    ids = list(session.scalars(query))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def day_start(day: date) -> datetime:
    """Return UTC midnight at the start of day."""
    return datetime.combine(day, time(), tzinfo=UTC)


# the ledger --------------------------------------------------------------------------------


def _apply_to_balances(session: Session, entries: Iterable[tuple[int, int]]) -> None:
    """Add (user_id, amount) entries to balances with increments only, creating missing rows."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for user_id, amount in entries:
        totals[user_id][0] += amount
        totals[user_id][1] += max(amount, 0)
    if not totals:
        return
    users = sorted(totals)  # a fixed lock order keeps concurrent awards free of deadlocks
    seed = [{"user_id": u, "balance": 0, "lifetime_earned": 0} for u in users]
    session.execute(
        dialect_insert(session, BALANCES).on_conflict_do_nothing(index_elements=["user_id"]), seed
    )
    stmt = (
        update(BALANCES)
        .where(BALANCES.c.user_id == bindparam("b_user"))
        .values(
            balance=BALANCES.c.balance + bindparam("b_amount"),
            lifetime_earned=BALANCES.c.lifetime_earned + bindparam("b_earned"),
            updated_at=utcnow(),
        )
    )
    rows = [{"b_user": u, "b_amount": totals[u][0], "b_earned": totals[u][1]} for u in users]
    session.execute(stmt, rows)


def award_points(
    session: Session,
    user_id: int,
    amount: int,
    reason: PointsReason | str,
    idempotency_key: str,
    *,
    source_type: str | None = None,
    source_id: str | int | None = None,
    note: str | None = None,
    created_by_id: int | None = None,
    created_at: datetime | None = None,
) -> PointsTransaction | None:
    """Append a transaction and add it to the balance; return None if the key was used before."""
    if amount == 0:
        raise PointsError("a points transaction needs a non-zero amount")
    row = {
        "user_id": user_id,
        "amount": amount,
        "reason": PointsReason(reason),
        "source_type": source_type,
        "source_id": None if source_id is None else str(source_id),
        "idempotency_key": idempotency_key,
        "note": note,
        "created_by_id": created_by_id,
        "created_at": created_at or utcnow(),
    }
    fill_local_times(session, [row], "created_at")
    stmt = (
        dialect_insert(session, LEDGER).values(row).on_conflict_do_nothing(index_elements=["idempotency_key"])
    )
    tx_id = session.execute(stmt.returning(LEDGER.c.id)).scalar_one_or_none()
    if tx_id is None:
        return None
    _apply_to_balances(session, [(user_id, amount)])
    return session.get(PointsTransaction, tx_id)


def append_to_ledger(session: Session, rows: Sequence[Mapping[str, Any]]) -> set[str]:
    """Append transactions whose key is unused and add them to balances; return the keys added.

    Rows without a local day get theirs from their `created_at` (default: now).
    """
    if not rows:
        return set()
    rows = sorted((dict(row) for row in rows), key=lambda row: row["idempotency_key"])
    for row in rows:
        row.setdefault("created_at", utcnow())
    fill_local_times(session, [r for r in rows if "local_day" not in r], "created_at")
    stmt = dialect_insert(session, LEDGER).on_conflict_do_nothing(index_elements=["idempotency_key"])
    returning = (LEDGER.c.idempotency_key, LEDGER.c.user_id, LEDGER.c.amount)
    added = session.execute(stmt.returning(*returning), rows).all()
    _apply_to_balances(session, [(user_id, amount) for _, user_id, amount in added])
    return {key for key, _, _ in added}


def insert_ledger_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> int:
    """Append many transactions at once, skipping used keys, and update balances; return rows added."""
    return len(append_to_ledger(session, rows))


LEDGER_CHUNK = 5000


def insert_ledger_select(session: Session, query: Select) -> int:
    """Append the transactions a SELECT yields (columns as _LEDGER_COLS), skipping used keys.

    The rows pass through Python, in chunks, so that each gets its local day from the one rule.
    Keys already in the ledger are left out by the query itself, so a rerun reads nothing.
    """
    subquery = query.subquery()
    key = list(subquery.c)[_LEDGER_COLS.index("idempotency_key")]
    used = select(LEDGER.c.id).where(LEDGER.c.idempotency_key == key).exists()
    fresh = select(subquery).where(~used)
    result = session.execute(fresh, execution_options={"yield_per": LEDGER_CHUNK})
    return sum(
        insert_ledger_rows(session, [dict(zip(_LEDGER_COLS, row, strict=True)) for row in part])
        for part in result.partitions()
    )


def reverse_transaction(
    session: Session, transaction_id: int, *, note: str | None = None, created_by_id: int | None = None
) -> PointsTransaction | None:
    """Append the opposite of a transaction; return None if it was reversed before."""
    original = session.get(PointsTransaction, transaction_id)
    if original is None:
        raise PointsError(f"no points transaction {transaction_id}")
    if original.reason == PointsReason.REVERSAL:
        raise PointsError("a reversal cannot itself be reversed")
    return award_points(
        session,
        original.user_id,
        -original.amount,
        PointsReason.REVERSAL,
        f"reversal:{original.id}",
        source_type="points_transaction",
        source_id=original.id,
        note=note,
        created_by_id=created_by_id,
    )


def rebuild_balances(session: Session, user_ids: Iterable[int] | None = None) -> int:
    """Set every balance to the sum of its ledger (lifetime: sum of gains); return rows changed."""
    earned = func.sum(case((LEDGER.c.amount > 0, LEDGER.c.amount), else_=0))
    sums = select(LEDGER.c.user_id, func.sum(LEDGER.c.amount), earned).group_by(LEDGER.c.user_id)
    current = select(BALANCES.c.user_id, BALANCES.c.balance, BALANCES.c.lifetime_earned)
    if user_ids is not None:
        wanted = list(user_ids)
        sums = sums.where(LEDGER.c.user_id.in_(wanted))
        current = current.where(BALANCES.c.user_id.in_(wanted))
    target = {u: (int(b), int(e)) for u, b, e in session.execute(sums)}
    existing = {(u,): (b, e) for u, b, e in session.execute(current)}
    for (user_id,) in existing:
        target.setdefault(user_id, (0, 0))
    rows = [{"user_id": u, "balance": b, "lifetime_earned": e} for u, (b, e) in sorted(target.items())]
    return write_changes(session, BALANCES, ["user_id"], rows, existing)


# rules for activity ------------------------------------------------------------------------


def _key(prefix: str, *parts: Any) -> Any:
    expr = literal(prefix, String) + cast(parts[0], String)
    for part in parts[1:]:
        expr = expr + literal(":", String) + cast(part, String)
    return expr


def apply_activity_points(
    session: Session, since: date | None = None, user_ids: Sequence[int] | None = None
) -> int:
    """Award the points for completed sessions, passed quizzes and ended duels; return rows added.

    `since` and `user_ids` narrow the rows read (the engine update passes the learners and the
    first day it was told about); the keys make the rest of the ledger untouched either way.
    """
    if user_ids is not None:
        ids = sorted(user_ids)
        chunks = [ids[i : i + 5000] for i in range(0, len(ids), 5000)]
        return sum(_activity_points(session, since, chunk) for chunk in chunks)
    return _activity_points(session, since, None)


def _activity_points(session: Session, since: date | None, user_ids: list[int] | None) -> int:
    # Local days run up to 14 hours off UTC: a day of slack keeps `since` safe everywhere.
    floor = day_start(since) - timedelta(days=1) if since else None
    ls, qa = LearningSession, QuizAttempt
    done_at = func.coalesce(ls.ended_at, ls.started_at)
    sessions = select(
        ls.user_id, literal(SESSION_POINTS), literal(PointsReason.SESSION_COMPLETED.value),
        literal("learning_session"), cast(ls.id, String), _key("session:", ls.id), done_at,
    ).where(ls.is_completed.is_(True))  # fmt: skip
    quizzes = select(
        qa.user_id, literal(QUIZ_PASSED_POINTS), literal(PointsReason.QUIZ_PASSED.value),
        literal("quiz_attempt"), cast(qa.id, String), _key("quiz:", qa.id), qa.submitted_at,
    ).where(quiz_passed())  # fmt: skip
    if floor:
        sessions = sessions.where(done_at >= floor)
        quizzes = quizzes.where(qa.submitted_at >= floor)
    duels = _duel_points(floor)
    if user_ids is not None:
        sessions = sessions.where(ls.user_id.in_(user_ids))
        quizzes = quizzes.where(qa.user_id.in_(user_ids))
        duels = duels.where(DuelParticipant.user_id.in_(user_ids))
    added = insert_ledger_select(session, sessions) + insert_ledger_select(session, quizzes)
    return added + insert_ledger_select(session, duels)


def quiz_passed() -> Any:
    """Return the SQL condition for a submitted quiz attempt that passed."""
    return and_(
        QuizAttempt.submitted_at.is_not(None), QuizAttempt.score >= QUIZ_PASS_RATIO * QuizAttempt.max_score
    )


def _duel_points(floor: datetime | None) -> Select:
    dp, duel = DuelParticipant, Duel
    won = dp.outcome == DuelOutcome.WON
    ended = func.coalesce(duel.ended_at, duel.created_at)
    query = (
        select(
            dp.user_id,
            case((won, DUEL_WIN_POINTS), else_=DUEL_DRAW_POINTS),
            case((won, PointsReason.DUEL_WON.value), else_=PointsReason.DUEL_DRAW.value),
            literal("duel"),
            cast(dp.duel_id, String),
            _key("duel:", dp.duel_id, dp.user_id),
            ended,
        )
        .join(duel, duel.id == dp.duel_id)
        .where(dp.outcome.in_([DuelOutcome.WON, DuelOutcome.DRAW]))
    )
    return query.where(ended >= floor) if floor else query
