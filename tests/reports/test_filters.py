"""The filter: ranges from the URL, its arguments for links, and the cache key it gives."""

from datetime import date

import pytest
from sqlalchemy import column
from werkzeug.datastructures import MultiDict

from webapp.reports import registry
from webapp.reports.filters import ReportFilter, parse_range
from webapp.reports.scope import Scope

TODAY = date(2024, 3, 31)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, (date(2024, 3, 2), TODAY, 30)),
        ({"range": "7"}, (date(2024, 3, 25), TODAY, 7)),
        ({"range": "90"}, (date(2024, 1, 2), TODAY, 90)),
        ({"from": "2024-01-05", "to": "2024-01-09"}, (date(2024, 1, 5), date(2024, 1, 9), None)),
        (
            {"from": "2024-01-05", "to": "2024-01-05", "range": "7"},
            (date(2024, 1, 5), date(2024, 1, 5), None),
        ),
    ],
)
def test_ranges(args, expected):
    start, end, preset, errors = parse_range(MultiDict(args), TODAY)
    assert (start, end, preset) == expected
    assert errors == []


def test_to_args_round_trips():
    flt = ReportFilter(start=date(2024, 1, 5), end=date(2024, 1, 9), preset=None, scope=Scope.of(4, None))
    assert flt.to_args() == {"from": "2024-01-05", "to": "2024-01-09", "group": "4"}
    assert flt.to_args(preset=7) == {"range": "7", "group": "4"}
    start, end, preset, _ = parse_range(MultiDict(flt.to_args()), TODAY)
    assert (start, end, preset) == (flt.start, flt.end, None)


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    flt = ReportFilter(start=date(2024, 3, 1), end=date(2024, 3, 30), preset=30, scope=Scope.of(None, None))
    before = flt.previous()
    assert (before.start, before.end, before.days) == (date(2024, 1, 31), date(2024, 2, 29), 30)


def test_days_after_the_last_complete_one_are_partial():
    flt = ReportFilter(start=date(2024, 3, 1), end=date(2024, 3, 10), last_complete=date(2024, 3, 8))
    assert flt.partial_from == date(2024, 3, 9)
    assert (
        ReportFilter(
            start=date(2024, 3, 1), end=date(2024, 3, 8), last_complete=date(2024, 3, 8)
        ).partial_from
        is None
    )


def test_results_are_cached_by_range_scope_and_context(monkeypatch):
    calls = []
    monkeypatch.setattr(
        registry, "cached", lambda ns, params, compute: calls.append((ns, params)) or compute()
    )
    flt = ReportFilter(start=date(2024, 1, 5), end=date(2024, 1, 9), preset=None, scope=Scope.of(4, None))
    report = registry.lookup("engagement")
    figure = registry.Figure("x", lambda s, f, c: [(1,)], lambda rows, f, c: None)
    assert registry.rows_of(report, figure, None, flt, {"cache_key": "k"}) == [(1,)]
    assert calls == [
        (
            "engagement.x",
            {"start": "2024-01-05", "end": "2024-01-09", "scope": "group:4", "context": "k", "all": False},
        )
    ]


def test_no_scope_reads_nothing(monkeypatch):
    monkeypatch.setattr(registry, "cached", lambda *a: pytest.fail("a teacher without groups reads nothing"))
    flt = ReportFilter(start=TODAY, end=TODAY, scope=Scope.of(None, set(), no_groups=True))
    figure = registry.Figure("x", lambda s, f, c: [(1,)], lambda rows, f, c: None)
    assert registry.rows_of(registry.lookup("engagement"), figure, None, flt, {}) == []


@pytest.mark.parametrize(
    ("group", "visible", "key", "restricts"),
    [(None, None, "all", False), (4, None, "group:4", True), (4, {4, 5}, "group:4", True)],
)
def test_the_scope_says_which_rows_and_learners(group, visible, key, restricts):
    scope = Scope.of(group, visible)
    assert scope.key == key
    assert scope.group_id == group
    assert ("IN" in str(scope.restrict(column("user_id")))) is restricts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "0001-01-01", "to": "0001-01-01"}, "Dates must lie between 2000-01-01 and 2099-12-31"),
        ({"from": "9999-12-31", "to": "9999-12-31"}, "Dates must lie between 2000-01-01 and 2099-12-31"),
        ({"from": "1999-12-31", "to": "2000-01-05"}, "Dates must lie between"),
        ({"from": "\uff12\uff10\uff12\uff14-01-05", "to": "2024-01-09"}, "Dates must be given as YYYY-MM-DD"),
        ({"from": "20240105", "to": "20240109"}, "Dates must be given as YYYY-MM-DD"),
        ({"range": "\u0663\u0660"}, "The range must be 7, 30 or 90 days"),
        ({"range": "³⁰"}, "The range must be 7, 30 or 90 days"),
    ],
)
def test_crafted_ranges_give_the_default_with_a_message(args, message):
    start, end, preset, errors = parse_range(MultiDict(args), TODAY)
    assert (start, end, preset) == (date(2024, 3, 2), TODAY, 30)
    assert len(errors) == 1
    assert errors[0].startswith(message)


def test_the_accepted_window_still_takes_its_edges():
    args = MultiDict({"from": "2000-01-01", "to": "2000-01-07"})
    assert parse_range(args, TODAY)[:3] == (date(2000, 1, 1), date(2000, 1, 7), None)
