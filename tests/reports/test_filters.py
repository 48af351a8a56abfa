"""The filter: ranges from the URL, its arguments for links, and the cache key it gives."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from webapp.reports import registry
from webapp.reports.filters import ReportFilter, parse_range
from webapp.reports.views import code_spans

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
    flt = ReportFilter(start=date(2024, 1, 5), end=date(2024, 1, 9), preset=None, group_id=4)
    assert flt.to_args() == {"from": "2024-01-05", "to": "2024-01-09", "group": "4"}
    assert flt.to_args(preset=7) == {"range": "7", "group": "4"}
    start, end, preset, _ = parse_range(MultiDict(flt.to_args()), TODAY)
    assert (start, end, preset) == (flt.start, flt.end, None)


def test_results_are_cached_by_range_and_scope(monkeypatch):
    calls = []
    monkeypatch.setattr(
        registry, "cached", lambda ns, params, compute: calls.append((ns, params)) or compute()
    )
    flt = ReportFilter(start=date(2024, 1, 5), end=date(2024, 1, 9), preset=None, group_id=4)
    assert registry.fetch("engagement.actives", flt, lambda: [(1,)]) == [(1,)]
    assert calls == [("engagement.actives", {"start": "2024-01-05", "end": "2024-01-09", "scope": "group:4"})]


def test_no_scope_reads_nothing(monkeypatch):
    monkeypatch.setattr(registry, "cached", lambda *a: pytest.fail("a teacher without groups reads nothing"))
    flt = ReportFilter(start=TODAY, end=TODAY, no_groups=True)
    assert registry.fetch("engagement.actives", flt, lambda: [(1,)]) == []


def test_empty_messages_show_commands_as_code_and_escape_the_rest():
    assert str(code_spans("run `flask x` <now>")) == "run <code>flask x</code> &lt;now&gt;"


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
