"""Property: whatever text reaches the badge and template forms, the answer is never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.admin.support import staff_client, token

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
text = st.text(max_size=80)
jinja_ish = st.one_of(
    text,
    st.lists(
        st.sampled_from(["{{", "}}", "{%", "%}", "name", "__class__", ".", "|", "(", ")", "\n", "x", "'"])
    ).map("".join),
)


@pytest.fixture
def operator(app, session):
    client, _user = staff_client(app, session, "operator")
    return client, token(client, "/admin/")


@FUZZ
@given(
    slug=text,
    name=text,
    description=text,
    icon=text,
    tier=st.one_of(st.sampled_from(["bronze", "silver", "gold"]), text),
    metric=st.one_of(st.sampled_from(["streak_days", "duels_won"]), text),
    threshold=st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), text),
    reward=st.one_of(st.integers().map(str), text),
)
def test_badge_form_never_500s(operator, slug, name, description, icon, tier, metric, threshold, reward):
    client, csrf = operator
    data = {
        "csrf_token": csrf,
        "slug": slug,
        "name": name,
        "description": description,
        "icon": icon,
        "tier": tier,
        "criteria_metric": metric,
        "criteria_threshold": threshold,
        "points_reward": reward,
        "is_active": "y",
    }
    response = client.post("/admin/badge/new/", data=data)
    assert response.status_code in (200, 302)


@FUZZ
@given(key=text, channel=text, locale=text, category=text, subject=jinja_ish, body=jinja_ish)
def test_template_form_and_preview_never_500(operator, key, channel, locale, category, subject, body):
    client, csrf = operator
    data = {
        "csrf_token": csrf,
        "key": key,
        "channel": channel,
        "locale": locale,
        "category": category,
        "subject": subject,
        "body": body,
        "is_active": "y",
    }
    assert client.post("/admin/notificationtemplate/new/", data=data).status_code in (200, 302)
    preview = {"csrf_token": csrf, "subject": subject, "body": body, "learner": key}
    assert client.post("/admin/notificationtemplate/preview/", data=preview).status_code == 200


@pytest.mark.parametrize("value", ["nul\x00byte", "x" * 5000, "\ud7ff", "é" * 64])
def test_awkward_text_in_a_valid_badge_is_refused_or_saved_never_500(operator, value):
    client, csrf = operator
    data = {
        "csrf_token": csrf,
        "slug": "awkward",
        "name": value,
        "description": value,
        "tier": "gold",
        "criteria_metric": "quizzes_passed",
        "criteria_threshold": "3",
        "points_reward": "0",
    }
    response = client.post("/admin/badge/new/", data=data)
    assert response.status_code in (200, 302)
    assert "psycopg" not in response.text
    assert "sqlite3" not in response.text


def test_a_nul_in_a_unique_field_is_a_field_error(operator):
    # Found by the property above on PostgreSQL: the uniqueness check sent the NUL to the database.
    client, csrf = operator
    data = {"csrf_token": csrf, "slug": "\x00", "name": "Night owl", "tier": "gold",
            "criteria_metric": "quizzes_passed", "criteria_threshold": "3", "points_reward": "0"}  # fmt: skip
    response = client.post("/admin/badge/new/", data=data)
    assert response.status_code == 200
    assert "Contains a control character" in response.text


@pytest.mark.parametrize("ref", ["¹", "٣", "²³"])
def test_a_learner_reference_of_non_ascii_digits_previews_with_sample_data(operator, ref):
    # Found by the property above: str.isdigit() accepts these, int() does not.
    client, csrf = operator
    data = {"csrf_token": csrf, "subject": "Hi", "body": "Hello", "learner": ref}
    response = client.post("/admin/notificationtemplate/preview/", data=data)
    assert response.status_code == 200
