"""Admin lists of large tables: no count(*) per page, sorts on indexed columns only, a learner's
email resolved to ids before the large table is read, the badge list's holders in one query."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from tests import factories as f
from tests.admin.support import admin_views, staff_client
from tests.dbutil import Statements
from webapp.admin import listing
from webapp.admin.listing import LargeListMixin, indexed_columns
from webapp.models import BehaviorEvent, PointsTransaction, SessionEvent, User


@pytest.fixture
def operator(app, session):
    client, _ = staff_client(app, session, "operator")
    return client


def listed(html: str) -> list[int]:
    """The ids of the rows a list page shows (each has a details link)."""
    return [int(i) for i in re.findall(r"/details/\?id=(\d+)", html)]


def test_large_lists_sort_only_on_indexed_columns(app):
    for view in admin_views(app):
        if not view.simple_list_pager:
            continue
        indexed = indexed_columns(view.model)
        for name, column in view._sortable_columns.items():
            assert getattr(column, "name", None) in indexed, f"{view.endpoint}: {name} has no index"
    session_events = next(v for v in admin_views(app) if v.model is SessionEvent)
    assert set(session_events._sortable_columns) == {"occurred_at", "event_type"}  # not payload


def test_large_lists_default_sort_leads_with_an_indexed_column(app):
    # A first page ordered by a column no index leads would sort the whole table.
    for view in admin_views(app):
        if view.simple_list_pager and view.column_default_sort:
            order = view.column_default_sort
            first = order[0] if isinstance(order, list) else order
            name = first[0] if isinstance(first, tuple) else first
            assert name in indexed_columns(view.model), view.endpoint


def test_session_events_sorted_by_event_type_use_the_new_index(app):
    assert {"event_type", "occurred_at"} <= indexed_columns(SessionEvent)
    view = next(v for v in admin_views(app) if v.model is SessionEvent)
    assert "event_type" in view._sortable_columns


LARGE = ["sessionevent", "behaviorevent", "pointstransaction", "leaderboardentry"]


@pytest.mark.parametrize("endpoint", LARGE)
def test_large_lists_never_count_the_table(operator, session, endpoint):
    f.make_event(session)
    f.make_behavior_event(session)
    f.make_points_transaction(session)
    f.make_leaderboard_entry(session)
    session.commit()
    with Statements() as sql:
        assert operator.get(f"/admin/{endpoint}/").status_code == 200
    assert not [s for s in sql if "count(" in s.lower() and "FROM users" not in s]


@pytest.mark.parametrize(
    ("endpoint", "factory", "model"),
    [
        ("behaviorevent", f.make_behavior_event, BehaviorEvent),
        ("pointstransaction", f.make_points_transaction, PointsTransaction),
        ("sessionevent", f.make_event, SessionEvent),
    ],
)
def test_search_by_learner_email_resolves_ids_first(operator, session, endpoint, factory, model):
    asha = f.make_learner(session, email="Asha.Rao@example.org")
    ravi = f.make_learner(session, email="ravi@example.org")
    kw = {"session": f.make_session(session, user=asha)} if model is SessionEvent else {"user": asha}
    mine = [factory(session, **kw).id for _ in range(2)]
    other_kw = {"session": f.make_session(session, user=ravi)} if model is SessionEvent else {"user": ravi}
    theirs = factory(session, **other_kw).id
    session.commit()
    with Statements() as sql:
        page = operator.get(f"/admin/{endpoint}/?search=asha.rao@EXAMPLE.org")
    assert page.status_code == 200
    shown = set(listed(page.get_data(as_text=True)))
    assert shown == set(mine)
    assert theirs not in shown
    # One lookup on users, then the large table by user id: no LIKE on an email beside it.
    reads = sql.on(model.__tablename__)
    assert reads
    assert not [s for s in reads if "like" in s.lower() or "lower(" in s.lower()], reads
    assert any("user_id IN" in s for s in reads), reads
    assert any(re.search(r"FROM users WHERE lower\(users.email\) = ", s) for s in sql)


def test_search_by_part_of_an_email_still_finds_the_learner(operator, session):
    asha = f.make_learner(session, email="asha.rao@example.org")
    f.make_learner(session, email="ravi@example.org")
    row = f.make_behavior_event(session, user=asha)
    session.commit()
    page = operator.get("/admin/behaviorevent/?search=rao@").get_data(as_text=True)
    assert listed(page) == [row.id]
    nobody = operator.get("/admin/behaviorevent/?search=nobody@nowhere").get_data(as_text=True)
    assert listed(nobody) == []


def test_search_without_an_at_sign_searches_as_before(operator, session):
    f.make_behavior_event(session, name="quiz_open")
    f.make_behavior_event(session, name="button_click")
    session.commit()
    page = operator.get("/admin/behaviorevent/?search=quiz_o").get_data(as_text=True)
    assert len(listed(page)) == 1


def test_badge_list_counts_holders_in_one_query(operator, session):
    badges = [f.make_badge(session) for _ in range(6)]
    for k, badge in enumerate(badges):
        for _ in range(k):
            f.make_user_badge(session, badge=badge)
    session.commit()
    with Statements() as sql:
        html = operator.get("/admin/badge/").get_data(as_text=True)
    assert len(sql.on("user_badges")) == 1, sql.on("user_badges")
    holders = [int(n) for n in re.findall(r'class="col-holders">\s*(\d+)\s*<', html)]
    by_name = sorted(badges, key=lambda b: b.name)
    assert holders == [badges.index(b) for b in by_name]


def test_every_model_view_has_the_large_list_mixin(app):
    assert all(isinstance(v, LargeListMixin) for v in admin_views(app))


def email_filter_arg(view, operation: str) -> str:
    """The URL key of the view's filter `operation` on its learner's email (as the list's menu)."""
    for index, flt in enumerate(view._filters):
        if flt.column is User.__table__.c.email and str(flt.operation()) == operation:
            return view.get_filter_arg(index, flt)
    raise AssertionError(f"{view.endpoint}: no {operation!r} filter on user.email")


def two_learners_rows(session, factory, model):
    """Two rows of Asha's and one of Ravi's; return (Asha's email, her row ids, Ravi's row id)."""
    asha = f.make_learner(session, email="asha.rao@example.org")
    ravi = f.make_learner(session, email="ravi@example.org")

    def of(user):
        kw = {"session": f.make_session(session, user=user)} if model is SessionEvent else {"user": user}
        return factory(session, **kw).id

    mine = [of(asha) for _ in range(2)]
    theirs = of(ravi)
    session.commit()
    return asha.email, set(mine), theirs


@pytest.mark.parametrize(
    ("endpoint", "factory", "model"),
    [
        ("behaviorevent", f.make_behavior_event, BehaviorEvent),
        ("pointstransaction", f.make_points_transaction, PointsTransaction),
        ("sessionevent", f.make_event, SessionEvent),
    ],
)
def test_filter_on_learner_email_reads_the_table_by_user_id(app, operator, session, endpoint, factory, model):
    email, mine, theirs = two_learners_rows(session, factory, model)
    view = next(v for v in admin_views(app) if v.model is model)
    arg = email_filter_arg(view, "equals")
    with Statements() as sql:
        page = operator.get(f"/admin/{endpoint}/?{urlencode({f'flt0_{arg}': email})}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = set(listed(html))
    assert shown == mine
    assert theirs not in shown
    assert f"&lt;{email}&gt;" in html  # each row names its learner (read after the page, by id)
    assert any(re.search(r"FROM users WHERE users.id IN \(", s) for s in sql), sql
    # The learner is looked up on users first; the large table is read by user_id, not through
    # a join to users on the email (which PostgreSQL could plan as a walk of the whole table).
    reads = sql.on(model.__tablename__)
    assert reads
    for statement in reads:
        where = statement.split(" WHERE ", 1)[1]
        assert "user_id IN (" in where, statement
        assert "email" not in where, statement
        # No join to users: the listed learners are read after the page, by id.
        assert "JOIN users" not in statement, statement
    assert any(re.search(r"FROM users WHERE users.email = ", s) for s in sql)


def test_other_filters_on_learner_email_keep_their_meaning(app, operator, session, monkeypatch):
    email, mine, theirs = two_learners_rows(session, f.make_behavior_event, BehaviorEvent)
    view = next(v for v in admin_views(app) if v.model is BehaviorEvent)

    def shown(operation: str, value: str) -> set[int]:
        query = urlencode({f"flt0_{email_filter_arg(view, operation)}": value})
        page = operator.get(f"/admin/behaviorevent/?{query}")
        assert page.status_code == 200
        return set(listed(page.get_data(as_text=True)))

    assert shown("not equal", email) == {theirs}
    assert shown("contains", "RAO@") == mine
    assert shown("not contains", "rao@") == {theirs}
    assert shown("equals", "nobody@example.org") == set()
    assert shown("contains", "example.org") == mine | {theirs}
    # More learners than an id list takes: the lookup on users becomes a subquery, same rows.
    monkeypatch.setattr(listing, "MAX_SEARCH_USERS", 1)
    with Statements() as sql:
        assert shown("contains", "example.org") == mine | {theirs}
    assert any("user_id IN (SELECT users.id" in s for s in sql.on("behavior_events")), sql


@pytest.mark.parametrize(
    ("endpoint", "make", "at"),
    [
        ("behaviorevent", f.make_behavior_event, "occurred_at"),
        ("sessionevent", f.make_event, "occurred_at"),
        ("pointstransaction", f.make_points_transaction, "created_at"),
        ("learningsession", f.make_session, "started_at"),
    ],
)
def test_large_lists_newest_first_ties_by_id(operator, session, endpoint, make, at):
    learner = f.make_learner(session, email="asha.rao@example.org")
    kw = {"user": learner}
    if make is f.make_event:
        kw["session"] = f.make_session(session, user=learner, started_at=datetime(2026, 11, 1, tzinfo=UTC))
    t = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    late = make(session, **{at: t + timedelta(hours=2)}, **kw).id  # written first, the newest
    early = make(session, **{at: t}, **kw).id
    tie_a = make(session, **{at: t + timedelta(hours=1)}, **kw).id
    tie_b = make(session, **{at: t + timedelta(hours=1)}, **kw).id
    session.commit()
    expected = [late, tie_b, tie_a, early]
    assert listed(operator.get(f"/admin/{endpoint}/").get_data(as_text=True)) == expected
    searched = operator.get(f"/admin/{endpoint}/?search=asha.rao@example.org").get_data(as_text=True)
    assert listed(searched) == expected
