"""An operator logs in, creates a badge and previews a template; a teacher is refused the admin."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests import factories as f
from tests.browser.support import serve
from tests.conftest import make_config
from tests.helpers import DEFAULT_PASSWORD
from webapp import create_app
from webapp.extensions import db
from webapp.models import Badge, metadata

pytestmark = pytest.mark.browser


@dataclass
class AdminServer:
    """Where the live app listens, who may log in, and the app (to read what was saved)."""

    url: str
    app: object
    operator_email: str
    teacher_email: str
    learner_email: str
    template_id: int


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory) -> Iterator[AdminServer]:
    """The app served by werkzeug in a thread over a SQLite file, with staff, a learner, a template."""
    path = tmp_path_factory.mktemp("admin-live") / "admin.db"
    app = create_app(make_config(f"sqlite:///{path}"))
    with app.app_context():
        metadata.create_all(db.engine)
        s = db.session
        operator, teacher = f.make_operator(s), f.make_teacher(s)
        learner = f.make_learner(s, display_name="Meera Nair")
        f.make_streak(s, user=learner, current_length=5, longest_length=5)
        f.make_badge(s, name="Attendance Star")  # for the award action, whichever test runs first
        template = f.make_template(
            s, key="streak.nudge", subject="Hi {{ first_name }}", body="{{ days }} days!"
        )
        s.commit()
        emails = (operator.email, teacher.email, learner.email)
        template_id = template.id
        s.remove()
    with serve(app) as url:
        yield AdminServer(url, app, *emails, template_id)


def _log_in(page, server: AdminServer, email: str, start: str = "/admin/") -> None:
    page.goto(server.url + start)
    assert "/login" in page.url
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_operator_creates_a_badge_and_previews_a_template(admin_server, page, artifacts):
    _log_in(page, admin_server, admin_server.operator_email)
    assert page.url.rstrip("/").endswith("/admin")

    page.goto(admin_server.url + "/admin/badge/new/")
    page.fill("input[name=slug]", "browser-badge")
    page.fill("input[name=name]", "Browser Badge")
    page.fill("input[name=criteria_threshold]", "5")
    page.click("input[type=submit][value='Save']")
    # The list, not the form again: "**/admin/badge/**" would match /admin/badge/new/ at once.
    page.wait_for_selector("td.col-name:has-text('Browser Badge')")
    assert page.url.endswith("/admin/badge/")
    page.screenshot(path=str(artifacts / "admin-badge-created.png"), full_page=True)
    with admin_server.app.app_context():
        badge = db.session.query(Badge).filter_by(slug="browser-badge").one()
        assert badge.criteria_threshold == 5
        db.session.remove()

    page.goto(f"{admin_server.url}/admin/notificationtemplate/details/?id={admin_server.template_id}")
    page.click("text=Preview")
    page.wait_for_selector("#preview-output")
    assert "Hi Asha" in page.inner_text("#preview-output")  # sample data first
    page.fill("#learner", admin_server.learner_email)
    page.click("#preview-form button[type=submit]")
    page.wait_for_selector("text=Rendered for Meera Nair")
    output = page.inner_text("#preview-output")
    assert "Hi Meera" in output
    assert "5 days!" in output

    page.fill("#body", "{{ ''.__class__.__mro__ }}")
    page.click("#preview-form button[type=submit]")
    page.wait_for_selector("#preview-errors")
    assert "not allowed" in page.inner_text("#preview-errors")
    page.screenshot(path=str(artifacts / "admin-template-preview.png"), full_page=True)
    assert page.errors == [], "\n".join(page.errors)


def test_the_template_editor_previews_as_the_operator_types(admin_server, page, artifacts):
    _log_in(page, admin_server, admin_server.operator_email)
    page.goto(f"{admin_server.url}/admin/notificationtemplate/edit/?id={admin_server.template_id}")
    assert "{{ first_name }}" in page.inner_text("#template-variables")
    assert "12 days!" in page.inner_text("#preview-output")  # the saved text, with sample data
    page.fill("textarea[name=body]", "Well done {{ name }}, {{ points }} points")
    page.wait_for_selector("#preview-output:has-text('Well done Asha Verma, 1450 points')")
    page.fill("textarea[name=body]", "Hi {name}")
    page.wait_for_selector("#preview-warnings")
    assert "double braces" in page.inner_text("#preview-warnings")
    page.fill("textarea[name=body]", "{{ '%1500000000s' % name }}")
    page.wait_for_selector("#preview-errors")
    assert "too long" in page.inner_text("#preview-errors")
    page.screenshot(path=str(artifacts / "admin-template-live-preview.png"), full_page=True)
    assert page.errors == [], "\n".join(page.errors)


def test_teacher_is_refused_the_admin(admin_server, page, artifacts):
    _log_in(page, admin_server, admin_server.teacher_email, start="/login")
    response = page.goto(admin_server.url + "/admin/")
    assert response.status == 403
    assert "You do not have access to this page." in page.content()
    response = page.goto(admin_server.url + "/admin/badge/new/")
    assert response.status == 403
    page.screenshot(path=str(artifacts / "admin-teacher-403.png"), full_page=True)


def test_operator_awards_a_badge_with_the_bulk_action(admin_server, page):
    """The "With selected" actions work under the CSP (no inline handlers), and award once."""
    _log_in(page, admin_server, admin_server.operator_email)
    page.goto(admin_server.url + "/admin/learner/")
    page.check("input.action-checkbox")
    page.click("text=With selected")
    page.click("[data-model-action=award_badge]")
    page.wait_for_url("**/admin/learner/action/**")
    page.click("button:has-text('Award')")
    page.wait_for_selector("text=to 1 learner(s)")
    assert page.url.endswith("/admin/learner/")
    assert page.errors == [], "\n".join(page.errors)


def test_the_admin_in_hindi_from_its_own_language_switch(admin_server, page, artifacts):
    """The admin's navbar has the language switch; the editor then speaks Hindi, warning included."""
    with admin_server.app.app_context():
        operator = f.make_operator(db.session)
        f.make_learner(db.session, locale="hi-IN")  # a language the template lacks
        db.session.commit()
        email = operator.email
        db.session.remove()
    editor = f"/admin/notificationtemplate/edit/?id={admin_server.template_id}"
    _log_in(page, admin_server, email, start=editor)
    assert page.locator("html").get_attribute("lang") == "en"
    page.click(".language-switch button[value=hi]")
    page.wait_for_function("document.documentElement.lang === 'hi'")
    # <html lang> is there before the editor's script: typing before it listens would go unseen.
    page.wait_for_load_state("load")
    assert "/admin/notificationtemplate/edit/" in page.url  # back where the switch was used
    assert page.locator("input[type=submit]").first.get_attribute("value") == "सहेजें"
    warning = page.inner_text("#template-locale-warnings")
    assert "भाषा “hi” वाले 1 शिक्षार्थी को यह संदेश “en” में मिलता है" in warning
    page.fill("textarea[name=body]", "शाबाश {{ name }}, {{ points }} अंक")
    page.wait_for_selector("#preview-output:has-text('शाबाश Asha Verma, 1450 अंक')")
    page.screenshot(path=str(artifacts / "admin-template-editor-hi.png"), full_page=True)
    page.goto(admin_server.url + "/admin/notificationtemplate/")
    assert "hi नहीं" in page.inner_text("table.model-list")
    page.screenshot(path=str(artifacts / "admin-template-list-hi.png"), full_page=True)
    assert page.errors == [], "\n".join(page.errors)
