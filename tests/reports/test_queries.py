"""Every report query against the oracle: the same figures computed in Python from raw rows."""

import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest

from tests.reports import dataset, support
from tests.reports.oracle import Oracle
from webapp.extensions import db
from webapp.models import RiskEvaluation
from webapp.reports.filters import PRESETS, ReportFilter
from webapp.reports.pages import overview
from webapp.reports.queries import active, attention, engagement, risk
from webapp.reports.queries import overview as oq
from webapp.reports.scope import Scope
from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS
from webapp.services.analytics.risk import RULE_WINDOWS, stored_rule_windows, write_rule_windows
from webapp.services.analytics.sql import connection, locked_transaction

SUBRANGE = (date(2024, 1, 8), date(2024, 1, 21))
NO = {}


@pytest.fixture
def data(session) -> dataset.Dataset:
    """The dataset, refreshed over its whole span."""
    return support.refreshed(session)


@pytest.fixture
def oracle(session, data) -> Oracle:
    """The oracle over the dataset's raw rows."""
    return dataset.oracle(session)


@pytest.fixture
def filters(data) -> list[ReportFilter]:
    """The dataset's span, for the platform and for two groups (asha is in both).

    One test checks every scope: building and refreshing the dataset is the slow part.
    """
    return [
        support.span_filter(None),
        support.span_filter(data.groups["g1"]),
        support.span_filter(data.groups["g2"]),
    ]


def days_of(flt: ReportFilter) -> list[date]:
    return [flt.start + timedelta(days=k) for k in range(flt.days)]


def _sessions(oracle: Oracle, flt: ReportFilter) -> list[dict]:
    scope = flt.scope.key
    return [
        s for s in oracle.sessions if flt.start <= s["day"] <= flt.end and scope in oracle.scopes[s["user"]]
    ]


def test_active_learners_and_stickiness(session, oracle, filters):
    for flt in filters:
        rows = engagement.active_learners(session, flt, NO)
        assert [r[0] for r in rows] == days_of(flt)
        for day, dau, wau, mau, sticky in rows:
            want = oracle.daily(day, flt.scope.key)
            assert (dau, wau, mau) == (
                want["active_learners"], want["weekly_active_learners"], want["monthly_active_learners"],
            )  # fmt: skip
            assert sticky == (pytest.approx(100 * dau / mau) if mau else None)


def test_sessions_and_minutes(session, oracle, filters):
    for flt in filters:
        for day, sessions, minutes in engagement.sessions_and_minutes(session, flt, NO):
            want = oracle.daily(day, flt.scope.key)
            assert sessions == want["sessions"]
            assert minutes == pytest.approx(want["learning_minutes"])


def test_activity_heatmap_in_local_hours_across_a_dst_change(session, oracle, filters):
    for flt in filters:
        want: dict[tuple[str, int], int] = defaultdict(int)
        for s in _sessions(oracle, flt):
            want[(engagement.WEEKDAYS[s["day"].weekday()], s["hour"])] += 1
        rows = engagement.activity_heatmap(session, flt, NO)
        assert len(rows) == 7 * 24
        assert {(wd, h): n for wd, h, n, _ in rows if n} == dict(want)
    # Ben (Los Angeles) on 10 March: 01:30 PST and 03:30 PDT, the hour between does not exist.
    dst = support.span_filter(None, dataset.DST_DAY, dataset.DST_DAY)
    ben = next(u for u, tz in oracle.tz.items() if tz == "America/Los_Angeles")
    hours = {s["hour"] for s in _sessions(oracle, dst) if s["user"] == ben}
    assert {1, 3} <= hours
    assert 2 not in hours


def test_focus_and_span_over_time(session, oracle, filters):
    for flt in filters:
        focus = {day: (avg, n) for day, avg, n, _sum in attention.focus_over_time(session, flt, NO)}
        span = {day: (avg, n) for day, avg, n in attention.span_over_time(session, flt, NO)}
        for day in days_of(flt):
            want = oracle.daily(day, flt.scope.key)
            expected = want["avg_focus_score"]
            assert focus[day][0] == (None if expected is None else pytest.approx(expected))
            assert focus[day][1] == sum(want["focus_buckets"].values())
            expected = want["avg_span_seconds"]
            assert span[day][0] == (None if expected is None else pytest.approx(expected / 60))
            assert span[day][1] == sum(want["span_buckets"].values())


def test_distributions(session, oracle, filters):
    for flt in filters:
        focus, span = defaultdict(int), defaultdict(int)
        for day in days_of(flt):
            want = oracle.daily(day, flt.scope.key)
            for label, n in want["focus_buckets"].items():
                focus[label] += n
            for label, n in want["span_buckets"].items():
                span[label] += n
        assert attention.focus_distribution(session, flt, NO) == [(b, focus[b]) for b, _ in FOCUS_BUCKETS]
        assert attention.span_distribution(session, flt, NO) == [(b, span[b]) for b, _ in SPAN_BUCKETS]


def test_focus_by_hour(session, oracle, filters):
    for flt in filters:
        scores: dict[int, list[float]] = defaultdict(list)
        hours = set()
        for s in _sessions(oracle, flt):
            hours.add(s["hour"])
            if s["focus"] is not None:
                scores[s["hour"]].append(s["focus"])
        rows = attention.focus_by_hour(session, flt, NO)
        assert [r[0] for r in rows] == sorted(hours)
        for hour, avg, n in rows:
            assert n == len(scores[hour])
            assert avg == (pytest.approx(statistics.mean(scores[hour])) if scores[hour] else None)


def test_focus_by_content_type(session, oracle, filters):
    for flt in filters:
        groups: dict[str, list[dict]] = defaultdict(list)
        for s in _sessions(oracle, flt):
            groups[s["content_type"]].append(s)
        rows = attention.focus_by_content_type(session, flt, NO)
        assert {r[0] for r in rows} == set(groups)
        for kind, avg, focus_n, n, minutes in rows:
            focus = [s["focus"] for s in groups[kind] if s["focus"] is not None]
            assert (n, focus_n) == (len(groups[kind]), len(focus))
            assert minutes == pytest.approx(sum(s["minutes"] for s in groups[kind]))
            assert avg == (pytest.approx(statistics.mean(focus)) if focus else None)


def test_interruptions_per_session(session, oracle, filters):
    for flt in filters:
        for day, interruptions, sessions, ratio in attention.interruptions_per_session(session, flt, NO):
            want = oracle.daily(day, flt.scope.key)
            assert (interruptions, sessions) == (want["interruptions"], want["sessions"])
            assert ratio == (pytest.approx(interruptions / sessions) if sessions else None)


def test_headline_figures_come_from_sums_and_counts(session, oracle, filters):
    for flt in filters:
        figures = overview.figures(oq.overview_daily(session, flt, NO))
        last = oracle.daily(flt.end, flt.scope.key)
        assert figures["day"] == flt.end
        assert figures["actives"] == (
            last["active_learners"],
            last["weekly_active_learners"],
            last["monthly_active_learners"],
        )
        dau = [oracle.daily(day, flt.scope.key)["active_learners"] for day in days_of(flt)]
        assert figures["avg_active"] == pytest.approx(sum(dau) / len(dau))
        sessions = _sessions(oracle, flt)
        focus = [s["focus"] for s in sessions if s["focus"] is not None]
        assert figures["minutes"] == pytest.approx(sum(s["minutes"] for s in sessions))
        # The mean over every scored session, not a mean of rounded daily means.
        assert figures["avg_focus"] == pytest.approx(statistics.mean(focus), abs=1e-9)
        assert figures["focus_n"] == len(focus)


def test_kpi_tiles_compare_with_the_previous_period_of_equal_length(session, oracle, data):
    flt = support.span_filter(None, date(2024, 2, 1), date(2024, 2, 29))
    tiles = {t["key"]: t for t in overview.tiles(oq.headline(session, flt, NO), flt)}
    before = _sessions(oracle, support.span_filter(None, date(2024, 1, 3), date(2024, 1, 31)))
    now = _sessions(oracle, flt)
    minutes_now, minutes_before = sum(s["minutes"] for s in now), sum(s["minutes"] for s in before)
    assert tiles["minutes"]["before"] == pytest.approx(minutes_before)
    pct = round(100 * abs(minutes_now - minutes_before) / minutes_before)
    way = "up" if minutes_now > minutes_before else "down"
    assert tiles["minutes"]["change"] == f"{way} {pct}% on the previous 29 days"
    assert tiles["at_risk"]["value"] == len({u for u, _ in oracle.flags(flt.end)})
    assert tiles["at_risk"]["before"] == len({u for u, _ in oracle.flags(date(2024, 1, 31))})


def test_retention_cohorts_with_sizes_and_the_day_they_are_as_of(session, oracle, filters):
    for flt in filters:
        weeks: dict[int, set[date]] = defaultdict(set)
        for user, day in oracle.active:
            if flt.scope.key in oracle.scopes[user]:
                weeks[user].add(day - timedelta(days=day.weekday()))
        want: dict[tuple[date, int], int] = defaultdict(int)
        sizes: dict[date, int] = defaultdict(int)
        for active_weeks in weeks.values():
            cohort = min(active_weeks)
            sizes[cohort] += 1
            for week in active_weeks:
                want[(cohort, (week - cohort).days // 7)] += 1
        rows = engagement.retention(session, flt, NO)
        first_week = flt.start - timedelta(days=flt.start.weekday())
        expected = {k: n for k, n in want.items() if first_week <= k[0] <= flt.end}
        assert {(wk, off): kept for wk, off, _size, kept, _pct, _as_of in rows} == expected
        for wk, _off, size, kept, pct, as_of in rows:
            assert size == sizes[wk]
            assert pct == pytest.approx(100 * kept / size)
            assert as_of == dataset.AS_OF


def test_a_subrange_reads_only_its_days(session, oracle, data):
    flt = support.span_filter(data.groups["g1"], *SUBRANGE)
    rows = engagement.sessions_and_minutes(session, flt, NO)
    assert [r[0] for r in rows] == days_of(flt)
    assert sum(r[1] for r in rows) == len(_sessions(oracle, flt))


def _in_scope(oracle: Oracle, flags: set, scope: str) -> set:
    return {(u, rule) for u, rule in flags if scope in oracle.scopes[u]}


def test_learners_at_risk_per_day_and_by_rule_over_the_range(session, oracle, filters):
    for flt in filters:
        by_day = {day: _in_scope(oracle, oracle.flags(day), flt.scope.key) for day in days_of(flt)}
        assert risk.series(session, flt, NO) == [(day, len({u for u, _ in f})) for day, f in by_day.items()]
        per_rule: dict[str, set] = defaultdict(set)
        for flags in by_day.values():
            for user, rule in flags:
                per_rule[rule].add(user)
        assert dict(risk.rule_counts(session, flt, NO)) == {r: len(per_rule.get(r, ())) for r in risk.RULES}


def test_the_district_over_a_preset_reads_the_counts_the_refresh_stored(session, oracle, data):
    stored = stored_rule_windows(session, dataset.AS_OF)
    assert set(stored) == {str(n) for n in PRESETS}  # written by the refresh, for every preset
    assert RULE_WINDOWS == PRESETS
    for days in PRESETS:
        flt = support.span_filter(None, dataset.AS_OF - timedelta(days=days - 1), dataset.AS_OF)
        per_rule: dict[str, set] = defaultdict(set)
        for day in days_of(flt):
            for user, rule in _in_scope(oracle, oracle.flags(day), flt.scope.key):
                per_rule[rule].add(user)
        expected = {r: len(per_rule.get(r, ())) for r in risk.RULES}
        assert stored[str(days)] == expected
        assert dict(risk.rule_counts(session, flt, NO)) == expected
    # What the page shows is what was stored (not a count of the flags made at request time).
    stored["30"]["went_quiet"] = 999
    table = RiskEvaluation.__table__
    session.execute(table.update().where(table.c.as_of == dataset.AS_OF).values(rule_learners=stored))
    flt = support.span_filter(None, dataset.AS_OF - timedelta(days=29), dataset.AS_OF)
    assert dict(risk.rule_counts(session, flt, NO))["went_quiet"] == 999


def test_rule_counts_are_stored_for_the_newest_evaluated_day_only(session, data):
    with connection(db.engine) as (conn, d), locked_transaction(conn, d):
        write_rule_windows(conn, d, dataset.AS_OF - timedelta(days=1))
    session.expire_all()
    assert stored_rule_windows(session, dataset.AS_OF) is None  # a backfill could make it stale
    assert stored_rule_windows(session, dataset.AS_OF - timedelta(days=1)) is not None


def test_the_flags_table_is_as_of_the_range_end(session, oracle, filters):
    for flt in filters:
        for end in (date(2024, 2, 10), dataset.END):
            ranged = support.span_filter(flt.scope.group_id, flt.start, end)
            table = risk.flagged_on(session, ranged, {"all_rows": True})
            assert table["as_of"] == end
            assert {(r[0], r[2]) for r in table["rows"]} == _in_scope(
                oracle, oracle.flags(end), flt.scope.key
            )
            assert table["total"] == len(table["rows"])


def test_active_learners_of_a_day_are_those_of_the_daily_count(session, oracle, filters):
    for flt in filters:
        for day in (date(2024, 1, 10), dataset.DST_DAY):
            rows = active.active_on(session, flt, {"day": day})
            assert {r[0] for r in rows} == oracle.active_on(day, flt.scope.key)
            one_day = support.span_filter(flt.scope.group_id, day, day)
            assert sum(r[2] for r in rows) == len(_sessions(oracle, one_day))


def test_learners_who_share_a_name_are_told_apart(session, data):
    flt, both = support.span_filter(None), 0
    for day in dataset.days():
        rows = active.active_on(session, flt, {"day": day})
        ashas = {uid: name for uid, name, *_ in rows if name.startswith("Asha")}
        assert "Asha" not in ashas.values()  # two learners are called Asha
        if data.learners["asha"] in ashas:
            assert ashas[data.learners["asha"]] == "Asha (Class 7A, Class 7B)"
        both += len(ashas) == 2
    assert both, "some day has both learners called Asha active"


def test_no_scope_gives_no_rows(session, data):
    flt = ReportFilter(start=dataset.START, end=dataset.END, scope=Scope.of(None, set(), no_groups=True))
    assert flt.scope.key is None
    assert engagement.active_learners(session, flt, NO) == []
    assert risk.series(session, flt, NO) == [(day, 0) for day in days_of(flt)]
    assert active.active_on(session, flt, {"day": date(2024, 1, 10)}) == []
