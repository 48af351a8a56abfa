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
