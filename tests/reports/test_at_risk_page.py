"""The at-risk report: its queries (latest flags, scope, sort whitelist), the page and its CSV."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests.admin.support import staff_client
from tests.dbutil import Statements
from tests.reports import dataset, support
from tests.reports.support import get, span_filter
from tests.reports.test_learner_page import csv_rows, figures, flag
from webapp.models import LearnerRiskFlag, User
from webapp.models.core.enums import GroupRole
from webapp.reports.pages.at_risk import COLUMNS, figure_text
from webapp.reports.queries import risk as q
from webapp.reports.scope import Scope

AS_OF = date(2024, 6, 30)
SPAN = {"from": (AS_OF - timedelta(days=29)).isoformat(), "to": AS_OF.isoformat()}
CSV_HEADER = [c.key for c in COLUMNS]


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


def table(session, groups=None, sort="learner", desc=False, end=AS_OF, **ctx) -> dict:
    """The flags table as the page reads it (every row), for one group or everyone."""
    group = next(iter(groups)) if groups else None
    flt = span_filter(group, AS_OF - timedelta(days=29), end, last_complete=AS_OF)
    return q.flagged_on(session, flt, {"sort": sort, "desc": desc, "all_rows": True, **ctx})


def test_latest_flags_only_sorted_by_learner(session, flags) -> None:
    found = table(session)
    assert found["as_of"] == AS_OF
    assert [(r[1], r[2]) for r in found["rows"]] == [
        ("ana", "went_quiet"),
        ("Bo", "focus_down"),
        ("cy", "focus_down"),
    ]


def test_the_flags_are_those_of_the_latest_evaluation_up_to_the_range_end(session, flags) -> None:
    found = table(session, end=AS_OF - timedelta(days=1))
    assert found["as_of"] == AS_OF - timedelta(days=1)
    assert [(r[1], r[2]) for r in found["rows"]] == [("cy", "went_quiet")]
    assert table(session, end=AS_OF - timedelta(days=30))["as_of"] is None


def test_sorting_by_value_both_ways(session, flags) -> None:
    up = [r[1] for r in table(session, sort="value")["rows"]]
    down = [r[1] for r in table(session, sort="value", desc=True)["rows"]]
    assert up == ["cy", "Bo", "ana"]
    assert down == ["ana", "Bo", "cy"]


def test_groups_scope_the_rows(session, flags) -> None:
    assert {r[1] for r in table(session, {flags["g1"]})["rows"]} == {"ana", "Bo"}
    empty = span_filter(None, AS_OF, AS_OF)
    nobody = q.flagged_on(
        session, empty.__class__(start=AS_OF, end=AS_OF, scope=Scope.of(None, set(), True)), {}
    )
    assert nobody["rows"] == []


@pytest.mark.parametrize(
    ("rule", "value", "text"),
    [("went_quiet", 8, "8 days idle"), ("focus_down", -43.4, "-43%"), ("low_mastery", 0.318, "mastery 0.32"),
     ("streak_broken", 9, "9-day streak"), ("minutes_down", None, "-"), ("new_rule", 1.5, "1.5")],
)  # fmt: skip
def test_each_rule_says_what_its_figure_is(rule, value, text) -> None:
    assert figure_text(rule, value) == text


def test_rule_counts_cover_every_documented_rule_over_the_range(session, flags) -> None:
    counts = dict(q.rule_counts(session, span_filter(None, AS_OF - timedelta(days=6), AS_OF), {}))
    assert counts["went_quiet"] == 2  # ana as of the last day, cy the day before
    assert counts["focus_down"] == 2
    assert counts["streak_broken"] == 0
    assert dict(q.rule_counts(session, span_filter(None, AS_OF, AS_OF), {}))["went_quiet"] == 1


# The page ------------------------------------------------------------------------------


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/reports/learners/\d+[^"]*">([^<]+)</a>', html)


def test_operator_sees_every_flag_and_the_rules_chart(app, session, flags) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk", **SPAN)
    assert status == 200
    assert _names(html) == ["ana", "Bo", "cy"]
    assert "focus 30 vs 80 (-62%)" in html
    figure = figures(html)["at-risk-rules"]
    assert dict(zip(figure["data"][0]["y"], figure["data"][0]["x"], strict=True))["Focus down"] == 2
    assert ">-62%<" in html


def test_teacher_sees_their_group_only(app, session, flags) -> None:
    client = support.client_for(app, flags["teacher"].email)
    status, html = get(client, "/reports/at-risk", **SPAN)
    assert status == 200
    assert _names(html) == ["ana", "Bo"]
    _, rows = csv_rows(client, "/reports/at-risk/table.csv", **SPAN)
    assert [r[1] for r in rows[1:]] == ["ana", "Bo"]


@pytest.mark.parametrize(
    "url", ["/reports/at-risk", "/reports/at-risk/table.csv", "/reports/at-risk/rules.csv"]
)
def test_teacher_gets_404_for_another_group(app, session, flags, url) -> None:
    client = support.client_for(app, flags["teacher"].email)
    assert get(client, url, group=flags["g2"])[0] == 404
    assert get(client, url, group="all")[0] == 404
    assert get(client, url, group=flags["g1"])[0] == 200


@pytest.mark.parametrize("sort", ["nope", "-", "value;drop", "__class__", "-password_hash"])
def test_a_bad_sort_gives_the_default_order(app, session, flags, sort) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk", **SPAN, sort=sort)
    assert status == 200
    assert _names(html) == ["ana", "Bo", "cy"]


def test_sorting_by_a_column_and_the_csv_follows(app, session, flags) -> None:
    client, _ = staff_client(app, session, "operator")
    assert _names(get(client, "/reports/at-risk", **SPAN, sort="-value")[1]) == ["ana", "Bo", "cy"]
    assert _names(get(client, "/reports/at-risk", **SPAN, sort="value")[1]) == ["cy", "Bo", "ana"]
    _, rows = csv_rows(client, "/reports/at-risk/table.csv", **SPAN, sort="value")
    assert rows[0] == CSV_HEADER
    assert [r[1] for r in rows[1:]] == ["cy", "Bo", "ana"]


def test_csv_neutralises_formula_names(app, session, flags) -> None:
    session.get(User, flags["ids"]["ana"]).display_name = "=cmd|' /C calc'!A0"
    session.commit()
    client, _ = staff_client(app, session, "operator")
    _, rows = csv_rows(client, "/reports/at-risk/table.csv", **SPAN)
    assert "'=cmd|' /C calc'!A0" in [r[1] for r in rows]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_empty_state_before_any_flag(app, session) -> None:
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk", **SPAN)
    assert status == 200
    assert "have not been evaluated" in html
    assert figures(html) == {}
    assert csv_rows(client, "/reports/at-risk/table.csv", **SPAN)[1] == [CSV_HEADER]


def test_a_teacher_without_groups_sees_nobody(app, session, flags) -> None:
    client, _ = staff_client(app, session, "teacher")
    status, html = get(client, "/reports/at-risk", **SPAN)
    assert status == 200
    assert _names(html) == []


def test_counts_per_day_count_each_learner_once(session, flags) -> None:
    series = dict(q.series(session, span_filter(None, AS_OF - timedelta(days=2), AS_OF), {}))
    assert series == {AS_OF - timedelta(days=1): 1, AS_OF: 3}  # a day with no evaluation is no point


def test_the_table_is_paged_and_the_pager_keeps_the_sort(app, session, flags, monkeypatch) -> None:
    monkeypatch.setattr(q, "PAGE_SIZE", 2)
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/at-risk", **SPAN, sort="-value")
    assert status == 200
    assert _names(html) == ["ana", "Bo"]
    assert "3 flags" in html
    assert "Page 1 of 2" in html
    assert "page=2" in html
    assert "sort=-value" in html
    assert _names(get(client, "/reports/at-risk", **SPAN, sort="-value", page=2)[1]) == ["cy"]
    for page in ("0", "-3", "x", "99"):  # out of range or not a number: the nearest page
        assert get(client, "/reports/at-risk", **SPAN, sort="-value", page=page)[0] == 200
    assert _names(get(client, "/reports/at-risk", **SPAN, sort="-value", page="99")[1]) == ["cy"]
    figure = figures(html)["at-risk-rules"]
    assert dict(zip(figure["data"][0]["y"], figure["data"][0]["x"], strict=True))["Focus down"] == 2
    _, rows = csv_rows(client, "/reports/at-risk/table.csv", **SPAN)
    assert len(rows) == 4  # the CSV has every flag, not one page


def test_district_counts_read_the_evaluations_not_the_flags(session, flags) -> None:
    flt = span_filter(None, AS_OF - timedelta(days=2), AS_OF)
    with Statements() as sql:
        series = dict(q.series(session, flt, {}))
        flagged = q.learners_flagged(session, flt.scope, AS_OF)
    assert series == {AS_OF - timedelta(days=1): 1, AS_OF: 3}
    assert flagged == 3
    assert not [s for s in sql if "learner_risk_flags" in s], sql
    group = span_filter(flags["g1"], AS_OF - timedelta(days=2), AS_OF)  # a group counts its members' flags
    assert dict(q.series(session, group, {})) == {AS_OF - timedelta(days=1): 0, AS_OF: 2}
    assert q.learners_flagged(session, group.scope, AS_OF) == 2


def test_the_refresh_counts_the_district_as_the_flags_do(session) -> None:
    support.refreshed(session)
    flt = span_filter(None, dataset.START, dataset.AS_OF)
    counted = select(LearnerRiskFlag.as_of, func.count(func.distinct(LearnerRiskFlag.user_id))).group_by(
        LearnerRiskFlag.as_of
    )
    by_flags = dict(session.execute(counted).tuples().all())
    series = dict(q.series(session, flt, {}))
    assert series
    assert {day: n for day, n in series.items() if n} == by_flags


def test_the_table_reads_one_page_and_one_count(session, flags) -> None:
    flt = span_filter(None, AS_OF - timedelta(days=29), AS_OF)
    with Statements() as sql:
        data = q.flagged_on(session, flt, {"sort": "learner", "page": 1})
    reads = [s for s in sql if "FROM learner_risk_flags" in s]
    assert data["total"] == 3
    counts = [s for s in reads if s.lower().startswith("select count(")]
    pages = [s for s in reads if s not in counts]
    assert len(counts) == 1
    assert len(pages) == 1
    assert " LIMIT " in pages[0]
    assert "ORDER BY lower(users.display_name)" in pages[0]
