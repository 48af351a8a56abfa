"""Report pages render for each staff role, with charts, empty states and filter messages."""

from datetime import date

import pytest

from tests import factories as f
from tests.admin.support import staff_client
from tests.reports import support
from tests.reports.support import RANGE, get
from webapp.models.analytics.metrics import DailyMetric
from webapp.models.core.enums import GroupRole

PAGES = ["/", "/reports/engagement", "/reports/attention"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["operator", "admin"])
def test_empty_database_shows_what_is_missing(app, session, url, role):
    client, _ = staff_client(app, session, role)
    status, html = get(client, url)
    assert status == 200
    assert "analytics refresh" in html
    assert "report-chart" not in html


def test_teacher_without_groups_is_told_so(app, session):
    client, _ = staff_client(app, session, "teacher")
    status, html = get(client, "/reports/engagement")
    assert status == 200
    assert "do not teach any study group" in html


def test_teacher_sees_charts_of_their_group(app, session):
    ds = support.refreshed(session)
    client = support.client_for(app, ds.teacher_email)
    for url in PAGES:
        status, html = get(client, url, **RANGE)
        assert status == 200
        assert 'class="report-chart"' in html
        assert "Class 7A" in html  # the teacher's only group is chosen for them
        assert "Class 7B" not in html  # and no other group is offered
        assert "All groups" not in html


def test_operator_sees_every_group(app, session):
    ds = support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    for url in PAGES:
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
