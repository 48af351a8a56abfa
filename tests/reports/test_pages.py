"""Report pages render for each staff role, with charts, empty states and filter messages."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import support
from tests.reports.support import RANGE, get
from webapp.jobs import schedule
from webapp.models.analytics.metrics import DailyMetric
from webapp.models.core.enums import GroupRole
from webapp.reports import views
from webapp.reports.definitions import DEFINITIONS, EMPTY

PAGES = ["/", "/reports/engagement", "/reports/attention", "/reports/leaderboard", "/reports/at-risk"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["operator", "admin"])
def test_empty_database_says_so_in_a_teachers_words(app, session, url, role):
    client, _ = staff_client(app, session, role)
    status, html = get(client, url)
    assert status == 200
    assert "report-empty" in html
    assert "No figures yet: they are updated every 15 minutes, and the first update has not run yet." in html
    said = {"/reports/at-risk": "not_evaluated", "/reports/leaderboard": "no_boards"}.get(url, "no_activity")
    assert str(escape(EMPTY[said])) in html
    assert "flask" not in html  # no command line on a teacher's page
    assert "rollup" not in html
    assert "report-chart" not in html


def test_teacher_without_groups_is_told_so(app, session):
    client, _ = staff_client(app, session, "teacher")
    status, html = get(client, "/reports/engagement")
    assert status == 200
    assert "do not teach any study group" in html


def test_teacher_sees_charts_of_their_group(app, session):
    ds = support.refreshed(session)
    client = support.client_for(app, ds.teacher_email)
    for url in PAGES[:3]:
        status, html = get(client, url, **RANGE)
        assert status == 200
        assert 'class="report-chart"' in html
        assert "Class 7A" in html  # the teacher's only group is chosen for them
        assert "Class 7B" not in html  # and no other group is offered
        assert "All groups" not in html


def test_operator_sees_every_group(app, session):
    ds = support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    for url in PAGES[:3]:
        status, html = get(client, url, **RANGE)
        assert status == 200
        assert 'class="report-chart"' in html
        for name in ("All groups", "Class 7A", "Class 7B"):
            assert name in html
        status, html = get(client, url, group=ds.groups["g2"], **RANGE)
        assert status == 200
        assert 'class="report-chart"' in html


@pytest.mark.parametrize(
    "args",
    [
        {"from": "2024-13-01", "to": "2024-02-01"},
        {"from": "2024-02-01", "to": "2024-01-01"},
        {"from": "2024-01-01"},
        {"range": "abc"},
        {"range": "45"},
        {"from": "1900-01-01", "to": "2024-01-01"},
    ],
)
def test_bad_filter_input_gives_a_message_not_an_error(app, session, args):
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/engagement", **args)
    assert status == 200
    assert "filter-error" in html
    assert "last 30 days" in html


@pytest.mark.parametrize("group", ["999999", "0"])
def test_unknown_group_is_404(app, session, group):
    client, _ = staff_client(app, session, "operator")
    status, _ = get(client, "/reports/engagement", group=group)
    assert status == 404


def test_presets_keep_the_group_in_the_url(app, session):
    ds = support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/attention", group=ds.groups["g1"], range="7")
    assert status == 200
    assert f"range=90&amp;group={ds.groups['g1']}" in html
    assert "Last 7 days</a>" in html


def test_rollups_without_focus_say_so(app, session):
    session.add(DailyMetric(day=date(2024, 1, 3), scope="all", sessions=2, learning_minutes=20))
    session.commit()
    client, _ = staff_client(app, session, "operator")
    status, html = get(client, "/reports/attention", **RANGE)
    assert status == 200
    assert "No focus scores were recorded in this range." in html
    assert "No attention spans were recorded in this range." in html
    assert 'id="chart-attention-interruptions"' in html  # zero interruptions is a figure to plot


def test_teacher_of_two_groups_starts_on_the_first_and_may_switch(app, session):
    client, teacher = staff_client(app, session, "teacher")
    second, first = f.make_group(session, name="Class 8B"), f.make_group(session, name="Class 8A")
    for group in (first, second):
        f.make_member(session, role=GroupRole.TEACHER, group=group, user=teacher)
    session.commit()
    status, html = get(client, "/reports/engagement")
    assert status == 200
    assert f'<option value="{first.id}" selected>Class 8A</option>' in html
    assert f"group={first.id}" in html  # the chosen group is in every link, so views can be shared
    status, html = get(client, "/reports/engagement", group=second.id)
    assert status == 200
    assert f'<option value="{second.id}" selected>Class 8B</option>' in html


def test_every_page_says_how_often_and_when_its_figures_were_updated(app, session):
    ds = support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    refreshed_at = session.scalar(select(func.max(DailyMetric.computed_at)))
    urls = [*PAGES, f"/reports/learners/{ds.learners['asha']}", "/reports/active/2024-01-10"]
    for url in urls:
        status, html = get(client, url, **RANGE)
        assert status == 200, url
        at = f"{refreshed_at:%Y-%m-%d %H:%M}"
        assert f"Figures are updated every 15 minutes; the last update was at {at} UTC." in html, url


def test_the_update_interval_is_the_refresh_jobs(app, session, monkeypatch):
    support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    job = schedule.BY_NAME["analytics_refresh"]
    monkeypatch.setitem(schedule.BY_NAME, "analytics_refresh", replace(job, timing=schedule._every(300)))
    _, html = get(client, "/reports/engagement", **RANGE)
    assert "Figures are updated every 5 minutes; the last update was at " in html
    monkeypatch.setitem(schedule.BY_NAME, "analytics_refresh", replace(job, timing=schedule._every(60)))
    _, html = get(client, "/reports/engagement", **RANGE)
    assert "Figures are updated every minute; the last update was at " in html


def test_every_chart_says_what_it_means_beside_it(app, session):
    support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    _, html = get(client, "/reports/engagement", **RANGE)
    for term in ("active", "actives", "stickiness", "sessions", "heatmap", "retention", "retention_marks"):
        assert str(escape(DEFINITIONS[term])) in html, term
    _, html = get(client, "/reports/attention", **RANGE)
    for term in ("focus_score", "attention_span", "interruptions"):
        assert str(escape(DEFINITIONS[term])) in html, term


def test_presets_end_on_the_last_complete_day(app, session, monkeypatch):
    client, _ = staff_client(app, session, "operator")
    f.make_learner(session, timezone="America/Los_Angeles")
    f.make_learner(session, timezone="Asia/Kolkata")
    session.commit()
    # 05:00 UTC on 10 March: the 10th has begun in Kolkata, the 9th is not over in Los Angeles.
    monkeypatch.setattr(views, "datetime", _Frozen(datetime(2024, 3, 10, 5, 0, tzinfo=UTC)))
    status, html = get(client, "/reports/engagement", range="7")
    assert status == 200
    assert "2024-03-02 to 2024-03-08 (7 days" in html


class _Frozen:
    """A stand-in for datetime whose now() is fixed."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self, tz=None):
        return self.moment


def test_a_custom_range_ending_today_says_its_last_days_are_partial(app, session):
    support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    today = datetime.now(UTC).date()
    span = {"from": (today - timedelta(days=10)).isoformat(), "to": today.isoformat()}
    status, html = get(client, "/reports/engagement", **span)
    assert status == 200
    assert str(escape(DEFINITIONS["partial"])) in html
    _, html = get(client, "/reports/engagement", **RANGE)
    assert str(escape(DEFINITIONS["partial"])) not in html


@pytest.mark.parametrize(
    "url",
    ["/reports/at-risk/5", "/reports/engagement/2024-01-10", "/reports/learners",
     "/reports/active/2024-13-45", "/reports/nope", "/reports/leaderboard/99999999999",
     "/reports/engagement/2024-01-10/actives.csv"],
)  # fmt: skip
def test_a_context_a_report_does_not_take_or_a_missing_one_is_404(app, session, url):
    client, _ = staff_client(app, session, "operator")
    assert get(client, url)[0] == 404
