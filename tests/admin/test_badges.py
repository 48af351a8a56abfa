"""The badge editor: field errors, a human duplicate-slug message, the idempotent award action."""

import re

import pytest

from tests import factories as f
from tests.admin.support import staff_client, token
from webapp.models import AuditEntry, Badge, PointsTransaction, UserBadge


def badge_form(client, **overrides) -> dict:
    """A valid badge create form, with this client's CSRF token."""
    data = {
        "csrf_token": token(client, "/admin/badge/new/"),
        "slug": "week-warrior",
        "name": "Week Warrior",
        "description": "Seven days in a row",
        "icon": "flame",
        "tier": "bronze",
        "criteria_metric": "streak_days",
        "criteria_threshold": "7",
        "points_reward": "20",
        "is_active": "y",
    }
    return {**data, **overrides}


def field_errors(html: str) -> list[str]:
    return [e.strip() for e in re.findall(r"<li>([^<]+)</li>", html.split('class="invalid-feedback"', 1)[-1])]


@pytest.fixture
def operator(app, session):
    client, _user = staff_client(app, session, "operator")
    return client


def test_operator_creates_a_badge(operator, session):
    response = operator.post("/admin/badge/new/", data=badge_form(operator))
    assert response.status_code == 302
    badge = session.query(Badge).one()
    assert (badge.slug, badge.criteria_metric.value, badge.criteria_threshold) == (
        "week-warrior",
        "streak_days",
        7,
    )


def test_duplicate_slug_gets_a_human_message(operator, session):
    f.make_badge(session, slug="week-warrior")
    session.commit()
    response = operator.post("/admin/badge/new/", data=badge_form(operator))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "A badge with this slug already exists." in html
    for leak in ("UNIQUE", "IntegrityError", "duplicate key", "constraint", "sqlite", "psycopg"):
        assert leak not in html
    assert session.query(Badge).count() == 1


def test_integrity_error_at_commit_is_a_human_message(app, session):
    """A duplicate that only the database catches (a race) still reads as a sentence."""
    from sqlalchemy.exc import IntegrityError

    from webapp.admin.integrity import human_message

    f.make_badge(session, slug="taken")
    session.commit()
    session.add(Badge(slug="taken", name="Again", criteria_metric="streak_days", criteria_threshold=3))
    with pytest.raises(IntegrityError) as caught:
        session.flush()
    session.rollback()
    assert human_message(caught.value, "badge") == "A badge with this slug already exists."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("criteria_threshold", "0", "A positive number."),
        ("criteria_threshold", "-3", "A positive number."),
        ("criteria_threshold", "", "This field is required."),
        ("criteria_metric", "logins", "Not a valid choice."),
        ("slug", "Has Spaces", "Use lower-case letters, digits, - and _ only."),
        ("name", "", "This field is required."),
        ("points_reward", "-1", "0 or more."),
    ],
)
def test_bad_fields_get_clear_errors(operator, session, field, value, message):
    response = operator.post("/admin/badge/new/", data=badge_form(operator, **{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert session.query(Badge).count() == 0


def test_criteria_metric_offers_the_fixed_list(operator):
    html = operator.get("/admin/badge/new/").get_data(as_text=True)
    select = html.split('id="criteria_metric"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'value="([^"]+)"', select)
    assert values == [
        "streak_days",
        "total_points",
        "quizzes_passed",
        "skills_mastered",
        "duels_won",
        "sessions_completed",
    ]


def test_award_to_selected_learners_is_idempotent(operator, session):
    badge = f.make_badge(session, points_reward=15)
    learners = [f.make_learner(session) for _ in range(2)]
    session.commit()
    ids = [str(u.id) for u in learners]
    chooser = operator.post(
        "/admin/learner/action/",
        data={"csrf_token": token(operator, "/admin/learner/"), "action": "award_badge", "rowid": ids},
    )
    assert chooser.status_code == 200
    assert badge.name in chooser.get_data(as_text=True)
    for _ in range(2):
        data = {"csrf_token": token(operator, "/admin/learner/"), "badge_id": str(badge.id), "rowid": ids}
        assert operator.post("/admin/learner/award-badge/", data=data).status_code == 302
    assert session.query(UserBadge).filter_by(badge_id=badge.id).count() == 2
    rewards = session.query(PointsTransaction).filter_by(source_type="badge").all()
    assert sorted(t.amount for t in rewards) == [15, 15]  # paid once each
    entries = session.query(AuditEntry).filter_by(model="Badge", object_id=str(badge.id)).all()
    assert [e.action.value for e in entries] == ["action", "action"]
    assert entries[0].changes == {"awarded_to": [None, sorted(u.id for u in learners)]}
    html = operator.get("/admin/badge/").get_data(as_text=True)
    assert re.search(r'class="col-holders">\s*2\s*<', html)


def test_award_with_bad_input_never_fails(operator, session):
    data = {"csrf_token": token(operator, "/admin/learner/"), "badge_id": "nope", "rowid": ["x", "-1"]}
    assert operator.post("/admin/learner/award-badge/", data=data).status_code == 302
    assert session.query(UserBadge).count() == 0


def test_streak_milestone_editor(operator, session):
    badge = f.make_badge(session)
    session.commit()
    url = "/admin/streakmilestone/new/"
    data = {"csrf_token": token(operator, url), "days": "30", "badge": str(badge.id), "points": "100"}
    assert operator.post(url, data={**data, "days": "0"}).status_code == 200
    assert operator.post(url, data=data).status_code == 302
    from webapp.models import StreakMilestone

    (milestone,) = session.query(StreakMilestone).all()
    assert (milestone.days, milestone.badge_id, milestone.points) == (30, badge.id, 100)


def test_deleting_a_held_badge_says_how_many_hold_it_and_offers_to_deactivate(operator, session):
    badge = f.make_badge(session, name="Quiz Ace")
    for _ in range(3):
        f.make_user_badge(session, badge=badge, user=f.make_learner(session))
    session.commit()
    data = {"id": str(badge.id), "csrf_token": token(operator, "/admin/badge/")}
    page = operator.post("/admin/badge/delete/", data=data, follow_redirects=True).get_data(as_text=True)
    assert "3 learners hold “Quiz Ace”, so it cannot be deleted" in page
    assert "linked to other records" not in page
    assert 'action="/admin/badge/deactivate/"' in page
    assert session.get(Badge, badge.id) is not None

    token_ = re.search(r'action="/admin/badge/deactivate/".*?name="csrf_token" value="([^"]+)"', page, re.S)
    data = {"id": str(badge.id), "csrf_token": token_.group(1)}
    page = operator.post("/admin/badge/deactivate/", data=data, follow_redirects=True).get_data(as_text=True)
    assert "“Quiz Ace” is inactive: its 3 holder(s) keep it" in page
    session.expire_all()
    assert session.get(Badge, badge.id).is_active is False
    assert session.query(UserBadge).filter_by(badge_id=badge.id).count() == 3
    assert (
        session.query(AuditEntry).filter_by(model="Badge", summary=f"deactivated badge {badge.slug}").count()
        == 1
    )


def test_a_badge_nobody_holds_is_deleted(operator, session):
    badge = f.make_badge(session)
    session.commit()
    data = {"id": str(badge.id), "csrf_token": token(operator, "/admin/badge/")}
    assert operator.post("/admin/badge/delete/", data=data).status_code == 302
    assert session.get(Badge, badge.id) is None
