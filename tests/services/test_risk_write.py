"""Writing the at-risk flags: a day evaluated again stores exactly its evaluation, and writes only
what changed (a flag row costs its indexes and foreign key; a backfill over unchanged data used to
rewrite every one)."""

from datetime import timedelta

from sqlalchemy import select, update

from tests.reports import dataset, support
from webapp.extensions import db
from webapp.models import LearnerDay, LearnerRiskFlag
from webapp.services.analytics import risk
from webapp.services.analytics.sql import connection, locked_transaction


def stored(session) -> dict[tuple, tuple]:
    """(as_of, learner, rule) -> (row id, value, detail) of every stored flag."""
    session.expire_all()
    rows = session.execute(select(LearnerRiskFlag)).scalars()
    return {(r.as_of, r.user_id, r.rule): (r.id, r.value, r.detail) for r in rows}


def evaluated(days) -> dict[tuple, tuple]:
    with connection(db.engine) as (conn, d):
        found = risk.evaluate_days(conn, d, days)
    return {
        (day, f["user_id"], f["rule"]): (None if f["value"] is None else float(f["value"]), f["detail"])
        for day, flags in found.items()
        for f in flags
    }


def write(days) -> None:
    """Write the flags of these days as a refresh does (one locked transaction)."""
    with connection(db.engine) as (conn, d), locked_transaction(conn, d):
        risk.write_flags(conn, d, days)


def days_of_dataset():
    return [dataset.START + timedelta(days=k) for k in range((dataset.AS_OF - dataset.START).days + 1)]


def test_a_day_evaluated_again_on_the_same_data_keeps_every_flag_row(session):
    dataset.build(session)
    support.refresh_dataset()
    before = stored(session)
    assert len(before) > 50
    write(days_of_dataset())
    assert stored(session) == before  # same rows, same ids: nothing deleted or inserted


def test_changed_data_rewrites_only_the_flags_it_changes_and_stores_the_evaluation(session):
    dataset.build(session)
    support.refresh_dataset()
    before = stored(session)
    day = max(as_of for as_of, _uid, rule in before if rule == "minutes_down")
    learner = next(uid for as_of, uid, rule in before if as_of == day and rule == "minutes_down")
    # The learner's recent week gets longer sessions: the minutes_down figure changes or goes.
    recent = [day - timedelta(days=k) for k in range(7)]
    session.execute(
        update(LearnerDay)
        .where(LearnerDay.user_id == learner, LearnerDay.day.in_(recent))
        .values(learning_minutes=LearnerDay.learning_minutes + 7.5)
    )
    session.commit()
    write([day])
    after = stored(session)
    expected = evaluated([day])
    # The day's stored flags are exactly its evaluation ...
    assert {k: v[1:] for k, v in after.items() if k[0] == day} == expected
    # ... and every flag that did not change kept its row.
    unchanged = [k for k, v in before.items() if k[0] == day and expected.get(k) == v[1:]]
    assert unchanged
    assert all(after[k][0] == before[k][0] for k in unchanged)
    changed = [k for k, v in before.items() if k[0] == day and expected.get(k) != v[1:]]
    assert (day, learner, "minutes_down") in changed
    # Other days are untouched.
    assert {k: v for k, v in after.items() if k[0] != day} == {k: v for k, v in before.items() if k[0] != day}
