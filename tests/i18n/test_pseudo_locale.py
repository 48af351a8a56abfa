"""Every word a report page, the login page or an error page shows goes through a translation.

Pages are rendered in a pseudo-locale (tests/i18n/pseudo.py) over the hand-made dataset:
any visible text, read attribute or chart text outside the markers fails, except data
(names from the database), numbers and dates.
"""

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.admin.support import staff_client
from tests.i18n.pseudo import pseudo_locale, untranslated
from tests.reports import dataset, support
from webapp.models import Badge, LearningPath, PathModule, Skill, StudyGroup, User
from webapp.models.gamification.leaderboards import Leaderboard
from webapp.services.leaderboards import snapshot_leaderboards

HINDI = {"Accept-Language": "hi"}
RANGE = {"from": dataset.START.isoformat(), "to": dataset.END.isoformat()}


def data_words(session) -> set[str]:
    """What a page may show untranslated: names and values from the database."""
    words: set[str] = set()
    for column in (User.display_name, User.email, User.timezone, StudyGroup.name, Leaderboard.name,
                   Badge.name, Skill.name, Skill.subject, LearningPath.name, LearningPath.subject,
                   PathModule.title):  # fmt: skip
        words |= {value for value in session.scalars(select(column)) if value}
    return words


@pytest.fixture
def pseudo(app, tmp_path):
    with pseudo_locale(app, tmp_path):
        yield


def test_every_report_page_is_translated(app, session, pseudo):
    ds = support.refreshed(session)
    board = f.make_leaderboard(session, name="Weekly stars")
    session.commit()
    snapshot_leaderboards(session, since=dataset.START, today=dataset.AS_OF)
    session.commit()
    client, _ = staff_client(app, session, "operator")
    learner = ds.learners["asha"]
    pages = [
        "/", "/reports/engagement", "/reports/attention", f"/reports/leaderboard/{board.id}",
        "/reports/at-risk", f"/reports/learners/{learner}", "/reports/active/2024-01-10", "/reports/saved",
    ]  # fmt: skip
    found = {}
    for url in pages:
        response = client.get(url, query_string=RANGE, headers=HINDI)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert "⟦" in html, url  # the pseudo catalogue is in use
        bad = untranslated(html, data_words(session))
        if bad:
            found[url] = bad
    assert found == {}, "\n".join(f"{url}: {texts}" for url, texts in found.items())


def test_empty_states_filter_messages_and_flashes_are_translated(app, session, pseudo):
    client, _ = staff_client(app, session, "teacher")  # teaches no group: every empty state
    for url in ("/", "/reports/engagement", "/reports/attention", "/reports/leaderboard", "/reports/at-risk"):
        bad_range = {"from": "2024-13-01", "to": "x"}
        html = client.get(url, query_string=bad_range, headers=HINDI).get_data(as_text=True)
        assert untranslated(html, data_words(session)) == [], url


def test_login_and_error_pages_are_translated(app, client, session, pseudo):
    html = client.get("/login", headers=HINDI).get_data(as_text=True)
    assert untranslated(html, set()) == []
    token = html.split('name="csrf_token" type="hidden" value="', 1)[-1].split('"', 1)[0]
    failed = client.post("/login", data={"email": "nobody@example.org", "password": "x", "csrf_token": token},
                         headers=HINDI)  # fmt: skip
    assert untranslated(failed.get_data(as_text=True), set()) == []
    html = client.get("/reports/engagement", headers=HINDI, follow_redirects=True).get_data(as_text=True)
    assert untranslated(html, set()) == []  # "Please log in to see this page."
    client, _ = staff_client(app, session, "teacher")
    missing = client.get("/reports/nothing-here", headers=HINDI)
    assert missing.status_code == 404
    assert untranslated(missing.get_data(as_text=True), data_words(session)) == []
