"""Every report query against the oracle: the same figures computed in Python from raw rows."""

import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest

from tests.reports import dataset, support
from webapp.reports import queries as q
from webapp.reports.filters import ReportFilter
from webapp.services.analytics.buckets import FOCUS_BUCKETS, SPAN_BUCKETS

SUBRANGE = (date(2024, 1, 8), date(2024, 1, 21))


@pytest.fixture
def data(session) -> dataset.Dataset:
    """The dataset, refreshed over its whole span."""
    return support.refreshed(session)


@pytest.fixture
def oracle(session, data) -> dataset.Oracle:
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


def test_active_learners_and_stickiness(session, oracle, filters):
    for flt in filters:
        rows = q.active_learners(session, flt)
        assert [r[0] for r in rows] == days_of(flt)
        for day, dau, wau, mau, sticky in rows:
            want = oracle.daily(day, flt.scope)
            assert (dau, wau, mau) == (
                want["active_learners"],
                want["weekly_active_learners"],
                want["monthly_active_learners"],
            )
            assert sticky == (round(100 * dau / mau, 2) if mau else None)


def test_sessions_and_minutes(session, oracle, filters):
    for flt in filters:
        for day, sessions, minutes in q.sessions_and_minutes(session, flt):
            want = oracle.daily(day, flt.scope)
            assert sessions == want["sessions"]
            assert minutes == pytest.approx(want["learning_minutes"], abs=0.01)


def test_activity_heatmap(session, oracle, filters):
    for flt in filters:
        want: dict[tuple[str, int], int] = defaultdict(int)
        for s in oracle.sessions:
            if flt.start <= s["day"] <= flt.end and flt.scope in oracle.scopes[s["user"]]:
                want[(q.WEEKDAYS[s["day"].weekday()], s["hour"])] += 1
        rows = q.activity_heatmap(session, flt)
        assert len(rows) == 7 * 24
        assert {(wd, h): n for wd, h, n, _ in rows if n} == dict(want)


def _sessions(oracle: dataset.Oracle, flt: ReportFilter) -> list[dict]:
    return [
        s
        for s in oracle.sessions
        if flt.start <= s["day"] <= flt.end and flt.scope in oracle.scopes[s["user"]]
    ]


def test_focus_and_span_over_time(session, oracle, filters):
    for flt in filters:
        focus = {day: (avg, n) for day, avg, n in q.focus_over_time(session, flt)}
        span = {day: (avg, n) for day, avg, n in q.span_over_time(session, flt)}
        for day in days_of(flt):
            want = oracle.daily(day, flt.scope)
            expected = want["avg_focus_score"]
            assert focus[day][0] == (None if expected is None else pytest.approx(expected, abs=0.01))
            assert focus[day][1] == sum(want["focus_buckets"].values())
            expected = want["avg_span_seconds"]
            assert span[day][0] == (None if expected is None else pytest.approx(expected / 60, abs=0.01))
            assert span[day][1] == sum(want["span_buckets"].values())


def test_distributions(session, oracle, filters):
    for flt in filters:
        focus, span = defaultdict(int), defaultdict(int)
        for day in days_of(flt):
            want = oracle.daily(day, flt.scope)
            for label, n in want["focus_buckets"].items():
                focus[label] += n
            for label, n in want["span_buckets"].items():
                span[label] += n
        assert q.focus_distribution(session, flt) == [(label, focus[label]) for label, _ in FOCUS_BUCKETS]
        assert q.span_distribution(session, flt) == [(label, span[label]) for label, _ in SPAN_BUCKETS]


def test_focus_by_hour(session, oracle, filters):
    for flt in filters:
        scores: dict[int, list[float]] = defaultdict(list)
        hours = set()
        for s in _sessions(oracle, flt):
            hours.add(s["hour"])
            if s["focus"] is not None:
                scores[s["hour"]].append(s["focus"])
        rows = q.focus_by_hour(session, flt)
        assert [r[0] for r in rows] == sorted(hours)
        for hour, avg, n in rows:
            assert n == len(scores[hour])
            assert avg == (pytest.approx(statistics.mean(scores[hour]), abs=0.01) if scores[hour] else None)


def test_focus_by_content_type(session, oracle, filters):
    for flt in filters:
        groups: dict[str, list[dict]] = defaultdict(list)
        for s in _sessions(oracle, flt):
            groups[s["content_type"]].append(s)
        rows = q.focus_by_content_type(session, flt)
        assert rows
        assert {r[0] for r in rows} == set(groups)
        for kind, avg, n, minutes in rows:
            focus = [s["focus"] for s in groups[kind] if s["focus"] is not None]
            assert n == len(groups[kind])
            assert minutes == pytest.approx(sum(s["minutes"] for s in groups[kind]), abs=0.01)
            assert avg == (pytest.approx(statistics.mean(focus), abs=0.01) if focus else None)


def test_interruptions_per_session(session, oracle, filters):
    for flt in filters:
        for day, interruptions, sessions, ratio in q.interruptions_per_session(session, flt):
            want = oracle.daily(day, flt.scope)
            assert (interruptions, sessions) == (want["interruptions"], want["sessions"])
            assert ratio == (pytest.approx(interruptions / sessions, abs=0.01) if sessions else None)


def test_overview_headline_figures(session, oracle, filters):
    for flt in filters:
        daily = q.overview_daily(session, flt)
        kpi = q.kpis(daily, q.learners_at_risk(session, flt))
        last = oracle.daily(flt.end, flt.scope)
        assert kpi["day"] == flt.end
        assert (kpi["active_today"], kpi["active_7"], kpi["active_30"]) == (
            last["active_learners"],
            last["weekly_active_learners"],
            last["monthly_active_learners"],
        )
        sessions = _sessions(oracle, flt)
        focus = [s["focus"] for s in sessions if s["focus"] is not None]
        assert kpi["minutes"] == pytest.approx(sum(s["minutes"] for s in sessions), abs=0.05)
        assert kpi["avg_focus"] == pytest.approx(statistics.mean(focus), abs=0.05)


def test_retention_cohorts(session, oracle, filters):
    for flt in filters:
        weeks: dict[int, set[date]] = defaultdict(set)
        for user, day in oracle.active:
            if flt.scope in oracle.scopes[user]:
                weeks[user].add(day - timedelta(days=day.weekday()))
        want: dict[tuple[date, int], int] = defaultdict(int)
        sizes: dict[date, int] = defaultdict(int)
        for active_weeks in weeks.values():
            cohort = min(active_weeks)
            sizes[cohort] += 1
            for week in active_weeks:
                want[(cohort, (week - cohort).days // 7)] += 1
        rows = q.retention(session, flt)
        assert rows
        first_week = flt.start - timedelta(days=flt.start.weekday())
        expected = {k: n for k, n in want.items() if first_week <= k[0] <= flt.end}
        assert {(wk, off): kept for wk, off, _size, kept, _pct in rows} == expected
        for wk, _off, size, kept, pct in rows:
            assert size == sizes[wk]
            assert pct == round(100 * kept / size, 2)


def test_a_subrange_reads_only_its_days(session, oracle, data):
    flt = support.span_filter(data.groups["g1"], *SUBRANGE)
    rows = q.sessions_and_minutes(session, flt)
    assert [r[0] for r in rows] == days_of(flt)
    assert sum(r[1] for r in rows) == len(_sessions(oracle, flt))


def test_at_risk_counts_are_scoped_to_the_group(session, data):
    from webapp.models.analytics.risk import LearnerRiskFlag

    everyone = support.span_filter(None, dataset.START, dataset.END + timedelta(days=1))
    g1 = support.span_filter(data.groups["g1"], dataset.START, dataset.END + timedelta(days=1))
    members = {data.learners["asha"], data.learners["ben"]}
    flags = session.query(LearnerRiskFlag).all()
    assert flags, "the dataset should flag someone"
    by_day_all: dict[date, set[int]] = defaultdict(set)
    by_day_g1: dict[date, set[int]] = defaultdict(set)
    for flag in flags:
        by_day_all[flag.as_of].add(flag.user_id)
        if flag.user_id in members:
            by_day_g1[flag.as_of].add(flag.user_id)
    assert q.learners_at_risk(session, everyone) == sorted((d, len(u)) for d, u in by_day_all.items())
    assert q.learners_at_risk(session, g1) == sorted((d, len(u)) for d, u in by_day_g1.items())


def test_no_scope_gives_no_rows(session, data):
    flt = ReportFilter(start=dataset.START, end=dataset.END, no_groups=True)
    assert flt.scope is None
    for query in (q.active_learners, q.activity_heatmap, q.retention, q.focus_by_hour, q.learners_at_risk):
        assert query(session, flt) == []
