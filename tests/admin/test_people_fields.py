"""User fields in admin forms: learners only, staff to admins only, never an enumeration of staff."""

import pytest

from tests import factories as f
from tests.admin.support import admin_views, staff_client, token
from webapp.admin.people import PeopleLookup
from webapp.auth.access import Action, can
from webapp.models import GroupMember, StudyGroup, UserProfile
from webapp.models.core.enums import GroupRole

SEARCH = "zz-findme"


@pytest.fixture
def people(session):
    """A learner, a teacher, an operator and an admin whose emails all match SEARCH."""
    made = {
        "learner": f.make_learner(session, email=f"{SEARCH}-learner@example.org"),
        "teacher": f.make_teacher(session, email=f"{SEARCH}-teacher@example.org"),
        "operator": f.make_operator(session, email=f"{SEARCH}-operator@example.org"),
        "admin": f.make_admin(session, email=f"{SEARCH}-admin@example.org"),
    }
    session.commit()
    return made


def _lookup_fields(app, user):
    """(view, field) of every user lookup in a form this user may fill in."""
    for view in admin_views(app):
        if not (can(user, view.resource, Action.CREATE) or can(user, view.resource, Action.EDIT)):
            continue
        for name, loader in (view._form_ajax_refs or {}).items():
            if isinstance(loader, PeopleLookup):
                yield view, name


def _found(client, view, name) -> set[str]:
    url = f"/admin/{view.endpoint}/ajax/lookup/?name={name}&query={SEARCH}"
    response = client.get(url)
    assert response.status_code == 200, url
    return {label.split(f"{SEARCH}-")[-1].split("@")[0] for _id, label in response.get_json()}


def test_operators_find_only_learners_in_every_user_lookup(app, session, people):
    operator, user = staff_client(app, session, "operator")
    fields = _lookup_fields(app, user)
    found = {f"{view.endpoint}.{name}": _found(operator, view, name) for view, name in fields}
    assert len(found) >= 20
    assert {key: roles for key, roles in found.items() if roles - {"learner"}} == {}


def test_admins_find_staff_only_where_a_field_may_hold_staff(app, session, people):
    admin, user = staff_client(app, session, "admin")
    fields = _lookup_fields(app, user)
    found = {f"{view.endpoint}.{name}": _found(admin, view, name) for view, name in fields}
    assert found["studygroup.owner"] == {"teacher"}
    assert found["groupmember.user"] == {"learner", "teacher"}
    assert found["assessmentresult.graded_by"] == {"teacher"}
    assert found["reportdefinition.owner"] == {"teacher", "operator", "admin"}
    assert found["userprofile.user"] == {"learner"}
    assert found["notification.recipient"] == {"learner"}


def test_an_operator_cannot_pick_a_staff_member_by_posting_their_id(app, session, people):
    operator, _ = staff_client(app, session, "operator")
    url = "/admin/userprofile/new/"
    response = operator.post(url, data={"user": str(people["admin"].id), "csrf_token": token(operator, url)})
    assert response.status_code == 200
    assert "Choose someone from the list." in response.get_data(as_text=True)
    assert session.query(UserProfile).count() == 0
    ok = operator.post(url, data={"user": str(people["learner"].id), "csrf_token": token(operator, url)})
    assert ok.status_code == 302
    assert session.query(UserProfile).one().user_id == people["learner"].id


def test_no_create_or_edit_form_shows_an_operator_any_staff_account(app, session, people):
    operator, _ = staff_client(app, session, "operator")
    group = f.make_group(session, owner=people["teacher"])
    f.make_member(session, group=group, user=people["teacher"], role=GroupRole.TEACHER)
    session.commit()
    shown = []
    for view in admin_views(app):
        if view.endpoint in ("staffaccount", "auditentry"):
            continue
        html = operator.get(f"/admin/{view.endpoint}/new/").get_data(as_text=True)
        if any(f"{SEARCH}-{role}" in html for role in ("teacher", "operator", "admin")):
            shown.append(view.endpoint)
    html = operator.get(f"/admin/studygroup/edit/?id={group.id}").get_data(as_text=True)
    assert 'name="owner"' not in html  # a staff-only field: admins set it
    assert shown == []


def test_an_operators_edit_keeps_the_staff_owner_it_cannot_see(app, session, people):
    operator, _ = staff_client(app, session, "operator")
    group = f.make_group(session, name="Class 7A", owner=people["teacher"])
    session.commit()
    url = f"/admin/studygroup/edit/?id={group.id}"
    form = {"name": "Class 7A (morning)", "is_active": "y", "csrf_token": token(operator, url)}
    assert operator.post(url, data=form).status_code == 302
    session.expire_all()
    saved = session.get(StudyGroup, group.id)
    assert (saved.name, saved.owner_id) == ("Class 7A (morning)", people["teacher"].id)


def test_an_admin_assigns_a_teacher_and_roles_must_match_accounts(app, session, people):
    admin, _ = staff_client(app, session, "admin")
    group = f.make_group(session)
    session.commit()
    url = "/admin/groupmember/new/"

    def post(user, role):
        data = {"group": str(group.id), "user": str(user.id), "role": role, "csrf_token": token(admin, url)}
        return admin.post(url, data=data)

    assert "must be a teacher account" in post(people["learner"], "teacher").get_data(as_text=True)
    assert "must be a learner account" in post(people["teacher"], "member").get_data(as_text=True)
    assert post(people["teacher"], "teacher").status_code == 302
    assert session.query(GroupMember).one().user_id == people["teacher"].id


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "1.5", "²"])
def test_odd_ids_in_a_user_field_are_a_field_error(app, session, people, value):
    operator, _ = staff_client(app, session, "operator")
    url = "/admin/userprofile/new/"
    response = operator.post(url, data={"user": value, "csrf_token": token(operator, url)})
    assert response.status_code == 200
    assert "Choose someone from the list." in response.get_data(as_text=True)
