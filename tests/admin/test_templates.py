"""The notification template editor: sandboxed, allow-listed, with a live preview."""

import pytest

from tests import factories as f
from tests.admin.support import staff_client, token
from webapp.models import NotificationTemplate
from webapp.services import templates

PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ name.__class__ }}",
    "{{ name['__class__'] }}",
    "{{ config.items() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ request.application }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ name|attr('__class__') }}",
    "{% import 'os' as os %}",
    "{{ 9 ** 999999 }}",
]


def template_form(client, **overrides) -> dict:
    data = {
        "csrf_token": token(client, "/admin/notificationtemplate/new/"),
        "key": "streak.reminder",
        "channel": "email",
        "locale": "en",
        "category": "reminder",
        "subject": "Keep going, {{ first_name }}",
        "body": "Hi {{ name }},\nyou are on a {{ streak_days }}-day streak.",
        "is_active": "y",
    }
    return {**data, **overrides}


@pytest.fixture
def operator(app, session):
    client, _user = staff_client(app, session, "operator")
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
def test_service_refuses_injection_payloads(payload):
    assert templates.check_template(payload)
    with pytest.raises(templates.TemplateProblem):
        templates.render(payload, templates.SAMPLE_CONTEXT)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_saving_refuses_injection_payloads(operator, session, payload):
    response = operator.post("/admin/notificationtemplate/new/", data=template_form(operator, body=payload))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "body, line 1:" in html
    assert "&lt;class" not in html
    assert "<class" not in html
    assert session.query(NotificationTemplate).count() == 0


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_preview_refuses_payloads_without_running_them(operator, payload):
    url = "/admin/notificationtemplate/preview/"
    data = {"csrf_token": token(operator, "/admin/"), "subject": "Hi", "body": payload}
    response = operator.post(url, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="preview-errors"' in html
    assert "&lt;class" not in html
    assert "<class" not in html
    assert "function" not in html


def test_unknown_variable_is_refused_with_its_line(operator, session):
    body = "Hello {{ name }},\n\nyour score: {{ secret_score }}"
    response = operator.post("/admin/notificationtemplate/new/", data=template_form(operator, body=body))
    html = response.get_data(as_text=True)
    assert "body, line 3: unknown variable &#39;secret_score&#39;" in html
    assert session.query(NotificationTemplate).count() == 0


def test_syntax_error_is_refused_with_its_line(operator, session):
    body = "Hello {{ name }}\n\nwell done, {{ points }"
    response = operator.post("/admin/notificationtemplate/new/", data=template_form(operator, body=body))
    assert "body, line 3: syntax error" in response.get_data(as_text=True)
    body = "Hello\n{% if points %}\nwell done"
    response = operator.post("/admin/notificationtemplate/new/", data=template_form(operator, body=body))
    assert "body, line 2: syntax error" in response.get_data(as_text=True)  # the unclosed block
    subject = "Hi {{ name"
    response = operator.post(
        "/admin/notificationtemplate/new/", data=template_form(operator, subject=subject)
    )
    assert "subject, line 1: syntax error" in response.get_data(as_text=True)
    assert session.query(NotificationTemplate).count() == 0


def test_service_reports_line_numbers():
    assert templates.check_template("a\nb\n{{ nope }}") == [
        "body, line 3: unknown variable 'nope' (allowed: "
        + ", ".join(sorted(templates.ALLOWED_VARIABLES))
        + ")"
    ]


def test_valid_template_saves_and_previews_with_sample_data(operator, session):
    assert operator.post("/admin/notificationtemplate/new/", data=template_form(operator)).status_code == 302
    template = session.query(NotificationTemplate).one()
    response = operator.get(f"/admin/notificationtemplate/preview/?id={template.id}")
    html = response.get_data(as_text=True)
    assert "Keep going, Asha" in html
    assert "you are on a 12-day streak." in html


def test_preview_renders_for_a_chosen_learner(operator, session):
    learner = f.make_learner(session, display_name="Ravi Kumar")
    f.make_streak(session, user=learner, current_length=4, longest_length=9)
    template = f.make_template(session, subject="Hi {{ first_name }}", body="{{ days }} days, {{ name }}")
    session.commit()
    url = f"/admin/notificationtemplate/preview/?id={template.id}"
    data = {"csrf_token": token(operator, "/admin/"), "learner": learner.email}
    html = operator.post(url, data=data).get_data(as_text=True)
    assert "Rendered for Ravi Kumar" in html
    assert "Hi Ravi" in html
    assert "4 days, Ravi Kumar" in html


def test_preview_output_is_escaped(operator, session):
    learner = f.make_learner(session, display_name="<script>alert(1)</script>")
    session.commit()
    data = {"csrf_token": token(operator, "/admin/"), "learner": str(learner.id), "body": "{{ name }}"}
    html = operator.post("/admin/notificationtemplate/preview/", data=data).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_details_page_links_to_preview_and_history(operator, session):
    template = f.make_template(session)
    session.commit()
    html = operator.get(f"/admin/notificationtemplate/details/?id={template.id}").get_data(as_text=True)
    assert f"/admin/notificationtemplate/preview/?id={template.id}" in html
    assert "History" in html


BOMB_BODIES = {
    "width": "{{ '%1500000000s' % name }}",
    "doubling": "{% set a = name * 2000 %}" + "{% set a = a ~ a %}" * 16 + "{{ a }}",
    "long number": "{{ " + "9" * 4301 + " }}",
    "nested brackets": "{{ " + "(" * 250 + "1" + ")" * 250 + " }}",
    "nested ifs": "{%if 1%}" * 1200,
}


@pytest.mark.parametrize("body", BOMB_BODIES.values(), ids=BOMB_BODIES.keys())
def test_template_bombs_are_field_errors_and_previews_not_500s(operator, session, body):
    response = operator.post("/admin/notificationtemplate/new/", data=template_form(operator, body=body))
    assert response.status_code == 200
    assert "body, line 1:" in response.get_data(as_text=True) or "body: " in response.get_data(as_text=True)
    assert session.query(NotificationTemplate).count() == 0
    data = {"csrf_token": token(operator, "/admin/"), "subject": "Hi", "body": body}
    for url in ("/admin/notificationtemplate/preview/", "/admin/notificationtemplate/preview/fragment/"):
        page = operator.post(url, data=data)
        assert page.status_code == 200
        assert 'id="preview-errors"' in page.get_data(as_text=True)


def test_single_braces_save_with_a_warning_shown_on_save_and_in_previews(operator, session):
    response = operator.post(
        "/admin/notificationtemplate/new/",
        data=template_form(operator, body="Hi {name}"),
        follow_redirects=True,
    )
    assert "Saved, but check this: body, line 1: “{name}” is sent as written" in response.get_data(
        as_text=True
    )
    assert session.query(NotificationTemplate).one().body == "Hi {name}"
    data = {"csrf_token": token(operator, "/admin/"), "subject": "Hi", "body": "Hi {name}"}
    fragment = operator.post("/admin/notificationtemplate/preview/fragment/", data=data).get_data(
        as_text=True
    )
    assert 'id="preview-warnings"' in fragment
    assert "{{ name }}" in fragment


def test_the_editor_shows_the_variables_and_a_live_preview_beside_the_form(operator, session):
    template = f.make_template(session, subject="Hi {{ first_name }}", body="{{ days }} days")
    session.commit()
    for url in ("/admin/notificationtemplate/new/", f"/admin/notificationtemplate/edit/?id={template.id}"):
        html = operator.get(url).get_data(as_text=True)
        assert 'id="template-variables"' in html
        assert all(f"{{{{ {name} }}}}" in html for name in templates.ALLOWED_VARIABLES)
        assert 'data-preview-url="/admin/notificationtemplate/preview/fragment/"' in html
        assert "admin-template-editor.js" in html
    assert "12 days" in html  # the saved text, rendered with sample data


def test_the_live_preview_escapes_and_renders_the_posted_text(operator):
    data = {
        "csrf_token": token(operator, "/admin/"),
        "subject": "<b>{{ first_name }}</b>",
        "body": "{{ points }}",
    }
    html = operator.post("/admin/notificationtemplate/preview/fragment/", data=data).get_data(as_text=True)
    assert "&lt;b&gt;Asha&lt;/b&gt;" in html
    assert ">1450</pre>" in html
