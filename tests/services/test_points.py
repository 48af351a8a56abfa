"""The points ledger: invariants under any sequence of operations, and atomic concurrent awards."""

import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import make_learner, make_quiz_attempt, make_session
from webapp.extensions import db
from webapp.models import PointsTransaction, UserPoints
from webapp.models.core.enums import PointsReason
from webapp.services.points import (
    QUIZ_PASSED_POINTS,
    SESSION_POINTS,
    PointsError,
    apply_activity_points,
    award_points,
    rebuild_balances,
    reverse_transaction,
)


def ledger_sum(session: Session, user_id: int) -> int:
    total = session.scalar(
        select(func.sum(PointsTransaction.amount)).where(PointsTransaction.user_id == user_id)
    )
    return int(total or 0)


def balance(session: Session, user_id: int) -> tuple[int, int]:
    row = session.execute(
        select(UserPoints.balance, UserPoints.lifetime_earned).where(UserPoints.user_id == user_id)
    ).one_or_none()
    return tuple(row) if row else (0, 0)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("award"), st.integers(-50, 200).filter(bool), st.integers(0, 5)),
        st.tuples(st.just("reverse"), st.integers(0, 20), st.just(0)),
    ),
    max_size=25,
)


@given(ops=operations)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_balance_is_the_sum_of_the_ledger_after_any_sequence(session, ops: list) -> None:
    learner = make_learner(session)
    seen_keys: set[str] = set()
    tx_ids: list[int] = []
    for kind, value, key in ops:
        if kind == "award":
            tx = award_points(session, learner.id, value, PointsReason.ADJUSTMENT, f"k{learner.id}:{key}")
            assert (tx is None) == (key in seen_keys)
            seen_keys.add(key)
            tx_ids += [tx.id] if tx else []
        elif tx_ids:
            reverse_transaction(session, tx_ids[value % len(tx_ids)])
        total, _lifetime = balance(session, learner.id)
        assert total == ledger_sum(session, learner.id)
    earned = session.scalar(
        select(func.sum(PointsTransaction.amount)).where(
            PointsTransaction.user_id == learner.id, PointsTransaction.amount > 0
        )
    )
    assert balance(session, learner.id)[1] == int(earned or 0)
    assert rebuild_balances(session, [learner.id]) == 0


def test_a_reversal_happens_once_and_cannot_be_reversed(session) -> None:
    learner = make_learner(session)
    tx = award_points(session, learner.id, 40, PointsReason.ADJUSTMENT, "adj-1", note="bonus")
    reversal = reverse_transaction(session, tx.id, note="mistake")
    assert reversal.amount == -40
    assert reversal.idempotency_key == f"reversal:{tx.id}"
    assert reverse_transaction(session, tx.id) is None
    with pytest.raises(PointsError, match="cannot itself be reversed"):
        reverse_transaction(session, reversal.id)
    assert balance(session, learner.id) == (0, 40)


def test_bad_amounts_and_unknown_transactions_raise(session) -> None:
    learner = make_learner(session)
    with pytest.raises(PointsError, match="non-zero"):
        award_points(session, learner.id, 0, PointsReason.ADJUSTMENT, "zero")
    with pytest.raises(PointsError, match="no points transaction"):
        reverse_transaction(session, 987654)


def test_rebuild_balances_repairs_drift(session) -> None:
    learner = make_learner(session)
    award_points(session, learner.id, 25, PointsReason.ADJUSTMENT, "a")
    session.execute(UserPoints.__table__.update().values(balance=999))
    assert rebuild_balances(session) == 1
    assert balance(session, learner.id) == (25, 25)
    assert rebuild_balances(session) == 0


def test_activity_points_are_awarded_once_at_the_time_of_the_activity(session) -> None:
    learner = make_learner(session)
    done = make_session(session, user=learner)
    make_session(session, user=learner, is_completed=False)
    passed = make_quiz_attempt(session, user=learner, score=60.0)
    make_quiz_attempt(session, user=learner, score=59.0)
    assert apply_activity_points(session) == 2
    assert apply_activity_points(session) == 0
    assert balance(session, learner.id) == (SESSION_POINTS + QUIZ_PASSED_POINTS,) * 2
    keys = dict(
        session.execute(select(PointsTransaction.idempotency_key, PointsTransaction.created_at)).all()
    )
    assert keys == {f"session:{done.id}": done.ended_at, f"quiz:{passed.id}": passed.submitted_at}
    assert apply_activity_points(session, since=(done.ended_at + timedelta(days=3)).date()) == 0


def test_concurrent_awards_are_exact_on_postgresql(app, session) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrency is only meaningful on PostgreSQL")
    learner = make_learner(session)
    session.commit()
    engine, user_id = db.engine, learner.id
    threads, per_thread, amount = 8, 50, 3
    barrier, errors, wins = threading.Barrier(threads), [], []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with Session(engine) as own:
                    award_points(own, user_id, amount, PointsReason.ADJUSTMENT, f"t{n}:{i}")
                    if award_points(own, user_id, 100, PointsReason.ADJUSTMENT, "shared") is not None:
                        wins.append(n)
                    own.commit()
        except Exception as exc:
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert len(wins) == 1
    expected = threads * per_thread * amount + 100
    session.expire_all()
    assert balance(session, learner.id) == (expected, expected)
    assert ledger_sum(session, learner.id) == expected
    count = session.scalar(select(func.count()).select_from(PointsTransaction))
    assert count == threads * per_thread + 1
