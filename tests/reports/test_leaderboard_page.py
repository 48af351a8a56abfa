"""The leaderboard report: its queries against the raw ledger, and the page per role."""

import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import dataset, support
from tests.reports.support import get
from tests.reports.test_learner_page import csv_rows, figures
from webapp.models import PointsTransaction, User
from webapp.models.core.enums import GroupRole, PointsReason
from webapp.reports.queries import leaderboard as q
from webapp.reports.scope import Scope
from webapp.services.leaderboards import snapshot_leaderboards

TODAY = date(2024, 3, 13)  # a Wednesday
THIS_WEEK = date(2024, 3, 11)
LAST_WEEK = date(2024, 3, 4)


def _earn(session, user, day: date, amount: int, reason=PointsReason.SESSION_COMPLETED) -> None:
    f.make_points_transaction(
        session,
        user=user,
        amount=amount,
        reason=reason,
        created_at=datetime.combine(day, time(10), tzinfo=UTC),
    )


@pytest.fixture
def board(session) -> dict:
    """A weekly global board: this week a 50, b 30, c 30, d 10; last week d 100, a 20, b 5."""
    learners = {name: f.make_learner(session, display_name=name) for name in "abcd"}
    for name, amount in {"a": 50, "b": 30, "c": 30, "d": 10}.items():
        _earn(session, learners[name], THIS_WEEK, amount)
    for name, amount in {"d": 100, "a": 20, "b": 5}.items():
        _earn(session, learners[name], LAST_WEEK + timedelta(days=1), amount)
    row = f.make_leaderboard(session, name="Weekly stars")
    session.commit()
    snapshot_leaderboards(session, since=LAST_WEEK, today=TODAY)
    session.commit()
    return {"id": row.id, "ids": {n: u.id for n, u in learners.items()}}


def board_rows(
    session, board_id: int, end: date = TODAY, group: int | None = None, visible=None
) -> list[dict]:
    """The table of the board's period holding end, as the page reads it."""
    flt = support.span_filter(group, LAST_WEEK, end)
    _shown, board = q.board_choices(session, visible, group, board_id)
    return q.board_table(session, flt, {"board": board})


def test_ties_share_a_rank_and_scores_equal_the_ledger(session, board) -> None:
    rows = board_rows(session, board["id"])
    assert [(r["name"], r["rank"]) for r in rows] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]
    ledger: dict[int, int] = defaultdict(int)
    week = (datetime.combine(THIS_WEEK, time(), tzinfo=UTC), datetime.combine(TODAY, time(), tzinfo=UTC))
    for t in session.scalars(select(PointsTransaction)):
        if week[0] <= t.created_at < week[1] + timedelta(days=5):
            ledger[t.user_id] += t.amount
    assert {r["user_id"]: r["score"] for r in rows} == dict(ledger)


def test_the_period_shown_is_the_one_holding_the_range_end(session, board) -> None:
    last_week = board_rows(session, board["id"], end=LAST_WEEK + timedelta(days=3))
    assert [(r["name"], r["score"]) for r in last_week] == [("d", 100), ("a", 20), ("b", 5)]
    # A week with no snapshot (before any points) shows nobody, not an older week.
    assert board_rows(session, board["id"], end=LAST_WEEK - timedelta(days=10)) == []


def test_movement_since_last_period(session, board) -> None:
    moves = {r["name"]: r["movement"]["label"] for r in board_rows(session, board["id"])}
    assert moves == {"a": "▲ 1", "b": "▲ 1", "c": "new", "d": "▼ 3"}


@pytest.mark.parametrize(
    ("rank", "previous", "kind"), [(1, None, "new"), (2, 5, "up"), (5, 2, "down"), (3, 3, "same")]
)
def test_movement_kinds(rank, previous, kind) -> None:
    assert q.movement(rank, previous)["kind"] == kind


def test_badges_are_counted_per_learner(session, board) -> None:
    f.make_user_badge(session, user_id=board["ids"]["c"])
    f.make_user_badge(session, user_id=board["ids"]["c"])
    rows = {r["name"]: r["badges"] for r in board_rows(session, board["id"])}
    assert rows == {"a": 0, "b": 0, "c": 2, "d": 0}


def test_score_history_of_the_top_learners(session, board) -> None:
    ids = board["ids"]
    rows = q.score_history(session, board["id"], [ids["a"], ids["d"]], LAST_WEEK, TODAY)
    got = [(r["period_start"], r["name"], r["score"]) for r in rows]
    assert got == [(LAST_WEEK, "d", 100), (LAST_WEEK, "a", 20), (THIS_WEEK, "a", 50), (THIS_WEEK, "d", 10)]


def test_a_group_narrows_the_table_and_teachers_see_their_boards_only(session, board) -> None:
    mine, theirs = f.make_group(session), f.make_group(session)
    f.make_member(session, group=mine, user_id=board["ids"]["b"])
    f.make_member(session, group=mine, user_id=board["ids"]["d"])
    f.make_member(session, group=mine, user=f.make_teacher(session), role=GroupRole.TEACHER)
    own_board = f.make_leaderboard(session, study_group=mine)
    their_board = f.make_leaderboard(session, study_group=theirs)
    rows = board_rows(session, board["id"], group=mine.id)
    assert [(r["name"], r["rank"]) for r in rows] == [("b", 2), ("d", 4)]  # global ranks kept
    shown, _first = q.board_choices(session, frozenset({mine.id}), mine.id, None)
    assert {b["id"] for b in shown} == {board["id"], own_board.id}
    assert q.board_choices(session, frozenset({mine.id}), None, their_board.id)[1] is None  # not theirs
    shown, first = q.board_choices(session, None, None, None)
    # The operator's chooser: the global boards, and the first board by name, which it shows.
    assert {b["id"] for b in shown} == {board["id"], first["id"]}
    assert q.board_choices(session, None, None, their_board.id)[1]["id"] == their_board.id  # may open any


def test_board_learners_and_reason_scope() -> None:
    assert q.learners_of({"group_id": 4}, Scope.of(9, None)).group_ids == {4}
    assert q.learners_of({"group_id": None}, Scope.of(9, None)).group_ids == {9}
    assert q.learners_of({"group_id": None}, Scope.of(None, None)).group_ids is None
    assert q.reason_scope(4, "group:9") == "group:4"
    assert q.reason_scope(None, "all") == "all"


def test_points_by_reason_sum_to_the_ledger(session) -> None:
    data = support.refreshed(session)
    oracle = dataset.oracle(session)
    start, end = date(2024, 1, 10), date(2024, 2, 5)
    for scope in ["all", f"group:{data.groups['g1']}"]:
        expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for p in oracle.points:
            if start <= p["day"] <= end and scope in oracle.scopes[p["user"]]:
                expected[p["reason"]][0] += p["amount"]
                expected[p["reason"]][1] += 1
        got = {reason: [points, n] for reason, points, n in q.points_by_reason(session, scope, start, end)}
        assert got == dict(expected)
        assert got, "the dataset has points in this range"


# The page ------------------------------------------------------------------------------

SPAN = {"from": LAST_WEEK.isoformat(), "to": TODAY.isoformat()}


def _linked(html: str) -> list[str]:
    return re.findall(r'<a href="/reports/learners/\d+[^"]*">([^<]+)</a>', html)


@pytest.fixture
def classes(session, board) -> dict:
    """Group one (b and d) with its teacher and its own board; group two with a board of its own."""
    mine, theirs = f.make_group(session, name="Class 7A"), f.make_group(session, name="Class 7B")
    teacher = f.make_teacher(session)
    f.make_member(session, group=mine, user=teacher, role=GroupRole.TEACHER)
    for name in "bd":
        f.make_member(session, group=mine, user_id=board["ids"][name])
    f.make_member(session, group=theirs, user_id=board["ids"]["a"])
    own = f.make_leaderboard(session, name="7A weekly", study_group=mine)
    other = f.make_leaderboard(session, name="7B weekly", study_group=theirs)
    session.commit()
    snapshot_leaderboards(session, since=LAST_WEEK, today=TODAY)
    session.commit()
    return {"teacher": teacher, "mine": mine.id, "own": own.id, "other": other.id}


def test_operator_sees_the_table_and_valid_charts(app, session, board) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, f"/reports/leaderboard/{board['id']}", **SPAN)
    assert status == 200
    assert _linked(html) == ["a", "b", "c", "d"]
    for label in ("▲ 1", "▼ 3", ">new<"):
        assert label in html
    found = figures(html)
    assert set(found) == {"leaderboard-trend"}  # no rollups refreshed: points by reason is empty
    assert "No points were earned" in html
    assert {t["name"] for t in found["leaderboard-trend"]["data"]} == {"a", "b", "c", "d"}
    assert get(client, "/reports/leaderboard", **SPAN)[0] == 200  # the first board by name


def test_teacher_sees_their_learners_on_a_global_board(app, session, board, classes) -> None:
    client = support.client_for(app, classes["teacher"].email)
    status, html = get(client, f"/reports/leaderboard/{board['id']}", **SPAN)
    assert status == 200
    assert _linked(html) == ["b", "d"]
    assert "7A weekly" in html
    assert "7B weekly" not in html
    _, rows = csv_rows(client, f"/reports/leaderboard/{board['id']}/table.csv", **SPAN)
    assert [(r[0], r[4]) for r in rows[1:]] == [("2", "b"), ("4", "d")]
    _, html = get(client, f"/reports/leaderboard/{classes['own']}", **SPAN)
    assert _linked(html) == ["b", "d"]


@pytest.mark.parametrize("suffix", ["", "/table.csv", "/trend.csv", "/reasons.csv"])
def test_teacher_gets_404_for_another_groups_board(app, session, board, classes, suffix) -> None:
    client = support.client_for(app, classes["teacher"].email)
    assert get(client, f"/reports/leaderboard/{classes['other']}{suffix}", **SPAN)[0] == 404
    assert get(client, f"/reports/leaderboard/{board['id']}{suffix}", group=classes["mine"] + 1000)[0] == 404
    assert get(client, f"/reports/leaderboard/{board['id']}{suffix}", **SPAN)[0] == 200


def test_each_csv_is_exactly_its_chart(app, session, board) -> None:
    client, _ = staff_client(app, session, "operator")
    url = f"/reports/leaderboard/{board['id']}"
    found = figures(get(client, url, **SPAN)[1])
    _, trend = csv_rows(client, f"{url}/trend.csv", **SPAN)
    assert trend[0] == ["period_start", "learner_id", "learner", "points", "rank"]
    assert len(trend) - 1 == sum(len(t["x"]) for t in found["leaderboard-trend"]["data"])
    assert get(client, f"{url}/nope.csv")[0] == 404
    assert get(client, "/reports/leaderboard/987654")[0] == 404
    assert get(client, "/reports/leaderboard/99999999999999/table.csv")[0] == 404


def test_points_by_reason_on_the_page_equal_the_rollup(app, session) -> None:
    data = support.refreshed(session)
    f.make_leaderboard(session, name="All of them")
    session.commit()
    client = support.client_for(app, data.teacher_email)
    _, rows = csv_rows(client, "/reports/leaderboard/1/reasons.csv", **support.RANGE)
    expected = q.points_by_reason(session, f"group:{data.groups['g1']}", dataset.START, dataset.END)
    assert "leaderboard-reasons" in figures(get(client, "/reports/leaderboard/1", **support.RANGE)[1])
    assert [(r[0], int(r[1])) for r in rows[1:]] == [(e[0].replace("_", " "), e[1]) for e in expected]
    assert len(rows) > 1


def test_empty_states(app, session) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/leaderboard")
    assert status == 200
    assert "There is no active leaderboard" in html
    board = f.make_leaderboard(session, name="Nobody yet")
    session.commit()
    status, html = get(client, f"/reports/leaderboard/{board.id}")
    assert status == 200
    assert "Nobody shown here earned points on this board in this period yet." in html
    assert "None of this period" in html
    assert "No points were earned" in html
    assert figures(html) == {}


def test_table_csv_neutralises_formula_names(app, session, board) -> None:
    session.get(User, board["ids"]["c"]).display_name = "=cmd"
    session.commit()
    client, _ = staff_client(app, session, "operator")
    _, rows = csv_rows(client, f"/reports/leaderboard/{board['id']}/table.csv", **SPAN)
    assert "'=cmd" in [r[4] for r in rows]
    _, rows = csv_rows(client, f"/reports/leaderboard/{board['id']}/trend.csv", **SPAN)
    assert "'=cmd" in [r[2] for r in rows]


def test_a_teacher_without_groups_sees_nobody_on_a_global_board(app, session, board) -> None:
    client, _ = staff_client(app, session, "teacher")
    status, html = get(client, f"/reports/leaderboard/{board['id']}", **SPAN)
    assert status == 200
    assert _linked(html) == []
    assert figures(html) == {}
    assert "You do not teach any study group yet" in html
