"""Teachers see their own groups only: another group's pages, chart data and CSVs are 404."""

import pytest

from tests.reports import support
from tests.reports.support import RANGE, get

URLS = [
    "/",
    "/reports/engagement",
    "/reports/attention",
    "/reports/engagement/actives.csv",
    "/reports/attention/focus.csv",
    "/reports/overview/at-risk.csv",
]


@pytest.fixture
def teacher(app, session):
    """The dataset, refreshed, and a client signed in as the teacher of group g1 only."""
    ds = support.refreshed(session)
    return ds, support.client_for(app, ds.teacher_email)


def test_teacher_gets_404_for_another_group(teacher):
    ds, client = teacher
    for url in URLS:
        for group in (ds.groups["g2"], ds.groups["g3"], "all"):
            status, _ = get(client, url, group=group, **RANGE)
            assert status == 404, (url, group)


def test_teacher_gets_their_own_group(teacher):
    ds, client = teacher
    for url in URLS:
        status, _ = get(client, url, group=ds.groups["g1"], **RANGE)
        assert status == 200, url


def test_teacher_csv_defaults_to_their_group_not_the_platform(app, teacher):
    ds, client = teacher
    other = support.client_for(app, ds.other_teacher_email)
    _, mine = get(client, "/reports/engagement/volume.csv", **RANGE)
    _, own_group = get(client, "/reports/engagement/volume.csv", group=ds.groups["g1"], **RANGE)
    _, theirs = get(other, "/reports/engagement/volume.csv", **RANGE)
    assert mine == own_group
    assert mine != theirs


def test_unknown_chart_is_404(teacher):
    _, client = teacher
    assert get(client, "/reports/engagement/nope.csv")[0] == 404
    assert get(client, "/reports/nope/actives.csv")[0] == 404
