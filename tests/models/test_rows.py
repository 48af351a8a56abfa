"""Every model imports from both paths, and a row of each survives a round trip."""

import importlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError, StatementError
from sqlalchemy.orm import selectinload

import webapp.models
from tests import factories as f
from tests.models.catalog import CASES, IDS
from webapp.models import Base, DailyLogin, LearningSession, User
from webapp.models.core.types import UTCDateTime

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_model_imports_from_package_and_seed_path(case):
    long_form = getattr(importlib.import_module(case.module), case.name)
    assert long_form is getattr(webapp.models, case.name)
    assert case.name in webapp.models.__all__


def test_catalog_covers_every_mapped_model():
    mapped = {mapper.class_.__name__ for mapper in Base.registry.mappers}
    assert mapped == set(IDS)


def _reload(session, row):
    """Commit, forget everything, and fetch the row again from the database."""
    model, key = type(row), sa_inspect(row).identity
    session.commit()
    session.expunge_all()
    return session.get(model, key)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_row_round_trips_with_relationships(session, case):
    row = case.factory(session)
    mapper = sa_inspect(type(row))
    written = {c.key: getattr(row, c.key) for c in mapper.column_attrs}
    related = {rel.key: getattr(row, rel.key) for rel in mapper.relationships if rel.lazy != "raise"}

    again = _reload(session, row)

    assert again is not None
    for key, value in written.items():
        assert getattr(again, key) == value, key
    for key, value in related.items():
        loaded = getattr(again, key)
        if isinstance(value, list):
            assert [sa_inspect(x).identity for x in loaded] == [sa_inspect(x).identity for x in value], key
        elif value is None:
            assert loaded is None, key
        else:
            assert sa_inspect(loaded).identity == sa_inspect(value).identity, key


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_timestamps_come_back_aware_utc(session, case):
    row = _reload(session, case.factory(session))
    columns = [c for c in sa_inspect(type(row)).columns if isinstance(c.type, UTCDateTime)]
    values = [getattr(row, c.key) for c in columns]
    assert all(v is None or (v.tzinfo is not None and v.utcoffset() == timedelta(0)) for v in values)
    assert any(v is not None for v in values) or not columns


def test_local_time_is_stored_as_the_same_instant_in_utc(session):
    started = datetime(2025, 3, 1, 9, 0, tzinfo=IST)
    row = _reload(session, f.make_session(session, started_at=started))
    assert row.started_at == started
    assert row.started_at.tzinfo == UTC
    assert row.started_at.hour == 3
    assert row.started_at.minute == 30


def test_naive_datetime_is_refused(session):
    learner = f.make_learner(session)
    naive = datetime(2025, 3, 1, 9, 0)
    session.add(DailyLogin(user=learner, day=naive.date(), first_login_at=naive, last_login_at=naive))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_relationships_by_name(session):
    learner = f.make_learner(session)
    f.make_profile(session, user=learner)
    group = f.make_group(session)
    f.make_member(session, group=group, user=learner)
    path = f.make_path(session)
    second = f.make_path_module(session, path=path, position=2)
    first = f.make_path_module(session, path=path, position=1)
    parent = f.make_skill(session)
    child = f.make_skill(session, parent=parent)
    sitting = f.make_session(session, user=learner)
    late = f.make_event(session, session=sitting, occurred_at=sitting.started_at + timedelta(minutes=9))
    early = f.make_event(session, session=sitting, occurred_at=sitting.started_at + timedelta(minutes=2))
    ids = {name: row.id for name, row in locals().items() if isinstance(row, Base) and hasattr(row, "id")}
    group_name = group.name
    session.commit()
    session.expunge_all()

    learner = session.get(type(learner), ids["learner"])
    assert learner.profile.school == "Govt. School No. 1"
    assert [m.group.name for m in learner.memberships] == [group_name]
    assert [m.id for m in session.get(type(path), ids["path"]).modules] == [ids["first"], ids["second"]]
    assert [c.id for c in session.get(type(parent), ids["parent"]).children] == [ids["child"]]
    assert session.get(type(child), ids["child"]).parent.id == ids["parent"]
    events = session.scalars(select(LearningSession)).one().events
    assert [e.id for e in events] == [ids["early"], ids["late"]]
    assert {e.user_id for e in events} == {ids["learner"]}


# The seed's User names ten collections of a learner's rows: they never load by accident.
USER_COLLECTIONS = {
    "daily_logins": (f.make_daily_login, "user"),
    "sessions": (f.make_session, "user"),
    "behavior_events": (f.make_behavior_event, "user"),
    "badges": (f.make_user_badge, "user"),
    "duels": (f.make_duel_participant, "user"),
    "skill_mastery": (f.make_mastery, "user"),
    "quiz_attempts": (f.make_quiz_attempt, "user"),
    "connections": (f.make_connection, "follower"),
    "notifications": (f.make_notification, "recipient"),
    "learning_paths": (f.make_path_enrolment, "user"),
}


def _make_for(session, learner, name):
    factory, keyword = USER_COLLECTIONS[name]
    return factory(session, **{keyword: learner})


@pytest.mark.parametrize("name", USER_COLLECTIONS)
def test_a_learners_collection_raises_unless_asked_for_and_loads_when_asked(session, name):
    learner = f.make_learner(session)
    learner_id, row_key = learner.id, sa_inspect(_make_for(session, learner, name)).identity
    session.commit()
    session.expunge_all()
    with pytest.raises(InvalidRequestError, match="lazy='raise'"):
        getattr(session.get(User, learner_id), name)
    session.expunge_all()
    query = select(User).where(User.id == learner_id).options(selectinload(getattr(User, name)))
    loaded = getattr(session.scalars(query).one(), name)
    assert [sa_inspect(x).identity for x in loaded] == [row_key]


def test_deleting_a_learner_deletes_their_rows_without_loading_them(session):
    learner = f.make_learner(session)
    learner_id = learner.id
    for name in USER_COLLECTIONS:
        _make_for(session, learner, name)
    session.commit()
    session.expunge_all()
    session.delete(session.get(User, learner_id))
    session.commit()
    assert session.scalar(select(LearningSession.id).where(LearningSession.user_id == learner_id)) is None
