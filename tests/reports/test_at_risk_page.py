"""The at-risk report: its queries (latest flags, scope, sort whitelist), the page and its CSV."""

import re
from datetime import date, timedelta

import pytest

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import support
from tests.reports.support import get
from tests.reports.test_learner_page import csv_rows, figures, flag
from webapp.models import User
from webapp.models.core.enums import GroupRole
from webapp.reports import at_risk_queries as q
from webapp.services.analytics.risk import RULES

AS_OF = date(2024, 6, 30)


@pytest.fixture
def flags(session) -> dict:
    """Two groups; ana (g1) went quiet, bo (g1) and cy (g2) lost focus; an older flag of cy."""
    g1, g2 = f.make_group(session, name="Class 7A"), f.make_group(session, name="Class 7B")
    teacher = f.make_teacher(session)
    f.make_member(session, group=g1, user=teacher, role=GroupRole.TEACHER)
    people = {}
    for name, group in (("ana", g1), ("Bo", g1), ("cy", g2)):
        people[name] = f.make_learner(session, display_name=name)
        f.make_member(session, group=group, user=people[name])
    flag(
        session, people["ana"].id, "went_quiet", AS_OF, "9 active days in the 4 weeks before; idle 8 days", 8
    )
    flag(session, people["Bo"].id, "focus_down", AS_OF, "focus 40 vs 70 (-43%)", -43)
    flag(session, people["cy"].id, "focus_down", AS_OF, "focus 30 vs 80 (-62%)", -62)
    flag(session, people["cy"].id, "went_quiet", AS_OF - timedelta(days=1), "old", 7)
    session.commit()
    return {"g1": g1.id, "g2": g2.id, "teacher": teacher, "ids": {n: u.id for n, u in people.items()}}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("rule", ("rule", False)),
        ("-value", ("value", True)),
        ("learner", ("learner", False)),
        (None, ("learner", False)),
        ("", ("learner", False)),
        ("password_hash", ("learner", False)),
        ("-id; DROP TABLE users", ("learner", False)),
        ("--rule", ("learner", False)),
    ],
)
def test_sort_whitelist(raw, expected) -> None:
    assert q.parse_sort(raw) == expected


def test_latest_flags_only_sorted_by_learner(session, flags) -> None:
    assert q.latest_as_of(session) == AS_OF
    rows = q.flagged(session, AS_OF, None)
    assert [(r["name"], r["rule"]) for r in rows] == [
        ("ana", "went_quiet"),
        ("Bo", "focus_down"),
        ("cy", "focus_down"),
    ]
    assert rows[0]["title"] == "Went quiet"


def test_sorting_by_value_both_ways(session, flags) -> None:
    up = [r["name"] for r in q.flagged(session, AS_OF, None, "value")]
    down = [r["name"] for r in q.flagged(session, AS_OF, None, "value", descending=True)]
    assert up == ["cy", "Bo", "ana"]
    assert down == ["ana", "Bo", "cy"]


def test_groups_scope_the_rows(session, flags) -> None:
    assert {r["name"] for r in q.flagged(session, AS_OF, {flags["g1"]})} == {"ana", "Bo"}
    assert q.flagged(session, AS_OF, set()) == []


@pytest.mark.parametrize(
    ("rule", "value", "text"),
    [("went_quiet", 8, "8 days idle"), ("focus_down", -43.4, "-43%"), ("low_mastery", 0.318, "mastery 0.32"),
     ("streak_broken", 9, "9-day streak"), ("minutes_down", None, "-"), ("new_rule", 1.5, "1.5")],
)  # fmt: skip
def test_each_rule_says_what_its_figure_is(rule, value, text) -> None:
    assert q.figure_text(rule, value) == text


def test_rule_counts_cover_every_documented_rule(session, flags) -> None:
    counts = dict(q.rule_counts_of(session, AS_OF, None))
    assert counts["Went quiet"] == 1
    assert counts["Focus down"] == 2
    assert counts["Streak broken"] == 0


# The page ------------------------------------------------------------------------------


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/reports/learners/\d+[^"]*">([^<]+)</a>', html)


def test_operator_sees_every_flag_and_the_rules_chart(app, session, flags) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk")
    assert status == 200
    assert _names(html) == ["ana", "Bo", "cy"]
    assert "focus 30 vs 80 (-62%)" in html
    (figure,) = figures(html).values()
    assert dict(zip(figure["data"][0]["y"], figure["data"][0]["x"], strict=True))["Focus down"] == 2
    assert ">-62%<" in html


def test_teacher_sees_their_group_only(app, session, flags) -> None:
    client = support.client_for(app, flags["teacher"].email)
    status, html = get(client, "/reports/at-risk")
    assert status == 200
    assert _names(html) == ["ana", "Bo"]
    _, rows = csv_rows(client, "/reports/at-risk.csv")
    assert [r[1] for r in rows[1:]] == ["ana", "Bo"]


@pytest.mark.parametrize("url", ["/reports/at-risk", "/reports/at-risk.csv", "/reports/at_risk/rules.csv"])
def test_teacher_gets_404_for_another_group(app, session, flags, url) -> None:
    client = support.client_for(app, flags["teacher"].email)
    assert get(client, url, group=flags["g2"])[0] == 404
    assert get(client, url, group="all")[0] == 404
    assert get(client, url, group=flags["g1"])[0] == 200


@pytest.mark.parametrize("sort", ["nope", "-", "value;drop", "__class__", "-password_hash"])
def test_a_bad_sort_gives_the_default_order(app, session, flags, sort) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk", sort=sort)
    assert status == 200
    assert _names(html) == ["ana", "Bo", "cy"]


def test_sorting_by_a_column_and_the_csv_follows(app, session, flags) -> None:
    client, _ = staff_client(app, session, "operator")
    assert _names(get(client, "/reports/at-risk", sort="-value")[1]) == ["ana", "Bo", "cy"]
    assert _names(get(client, "/reports/at-risk", sort="value")[1]) == ["cy", "Bo", "ana"]
    _, rows = csv_rows(client, "/reports/at-risk.csv", sort="value")
    assert rows[0] == list(q.CSV_HEADER)
    assert [r[1] for r in rows[1:]] == ["cy", "Bo", "ana"]


def test_csv_neutralises_formula_names(app, session, flags) -> None:
    session.get(User, flags["ids"]["ana"]).display_name = "=cmd|' /C calc'!A0"
    session.commit()
    client, _ = staff_client(app, session, "operator")
    _, rows = csv_rows(client, "/reports/at-risk.csv")
    assert "'=cmd|' /C calc'!A0" in [r[1] for r in rows]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_empty_state_before_any_flag(app, session) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk")
    assert status == 200
    assert "No learner is flagged" in html
    assert figures(html) == {}
    assert csv_rows(client, "/reports/at-risk.csv")[1] == [list(q.CSV_HEADER)]


def test_a_teacher_without_groups_sees_nobody(app, session, flags) -> None:
    client, _ = staff_client(app, session, "teacher")
    status, html = get(client, "/reports/at-risk")
    assert status == 200
    assert _names(html) == []


def rule_counts(rows: list[dict]) -> list[tuple[str, int]]:
    """(rule title, learners flagged) per documented rule, counted from the table's rows."""
    counts = {rule: set() for rule in RULES}
    for r in rows:
        counts.setdefault(r["rule"], set()).add(r["user_id"])
    return [(RULES.get(rule, (rule, ""))[0], len(users)) for rule, users in counts.items()]


def test_rule_counts_in_sql_equal_the_counts_of_the_rows(session, flags) -> None:
    for groups in (None, {flags["g1"]}, {flags["g2"]}, set()):
        rows = q.flagged(session, AS_OF, groups)
        assert q.rule_counts_of(session, AS_OF, groups) == rule_counts(rows)
        assert q.count_flags(session, AS_OF, groups) == len(rows)


def test_the_table_is_paged_and_the_pager_keeps_the_sort(app, session, flags, monkeypatch) -> None:
    from webapp.reports import at_risk

    monkeypatch.setattr(at_risk, "PAGE_SIZE", 2)
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk", sort="-value")
    assert status == 200
    assert _names(html) == ["ana", "Bo"]
    assert "3 flag(s)" in html
    assert "Page 1 of 2" in html
    assert "page=2" in html
    assert "sort=-value" in html
    assert _names(get(client, "/reports/at-risk", sort="-value", page=2)[1]) == ["cy"]
    for page in ("0", "-3", "x", "99"):  # out of range or not a number: the nearest page
        assert get(client, "/reports/at-risk", sort="-value", page=page)[0] == 200
    assert _names(get(client, "/reports/at-risk", sort="-value", page="99")[1]) == ["cy"]
    (figure,) = figures(html).values()
    assert dict(zip(figure["data"][0]["y"], figure["data"][0]["x"], strict=True))["Focus down"] == 2
    _, rows = csv_rows(client, "/reports/at-risk.csv")
    assert len(rows) == 4  # the CSV has every flag, not one page
