"""The audit log: every admin create, edit, delete and action, with field-level diffs."""

import pytest

from tests import factories as f
from tests.admin.support import staff_client, token
from webapp.models import AuditEntry, Badge
from webapp.services.audit import REDACTED


@pytest.fixture
def operator(app, session):
    return staff_client(app, session, "operator")


def _entries(session, model: str) -> list[AuditEntry]:
    return session.query(AuditEntry).filter_by(model=model).order_by(AuditEntry.id).all()


def _badge_data(client, **overrides) -> dict:
    data = {
        "csrf_token": token(client, "/admin/badge/new/"),
        "slug": "reader",
        "name": "Reader",
        "tier": "silver",
        "criteria_metric": "sessions_completed",
        "criteria_threshold": "10",
        "points_reward": "5",
        "is_active": "y",
    }
    return {**data, **overrides}


def test_create_edit_delete_are_audited_with_diffs(operator, session):
    client, user = operator
    assert client.post("/admin/badge/new/", data=_badge_data(client)).status_code == 302
    badge = session.query(Badge).one()
    badge_id = badge.id
    edit = _badge_data(client, name="Keen Reader", criteria_threshold="12")
    assert client.post(f"/admin/badge/edit/?id={badge_id}", data=edit).status_code == 302
    delete = {"id": str(badge_id), "csrf_token": token(client, "/admin/badge/")}
    assert client.post("/admin/badge/delete/", data=delete).status_code == 302
    session.expire_all()
    assert session.get(Badge, badge_id) is None

    created, edited, deleted = _entries(session, "Badge")  # kept after the row is gone
    assert [e.action.value for e in (created, edited, deleted)] == ["create", "update", "delete"]
    assert {e.object_id for e in (created, edited, deleted)} == {str(badge_id)}
    assert {e.actor_id for e in (created, edited, deleted)} == {user.id}
    assert created.actor_email == user.email
    assert created.changes["slug"] == [None, "reader"]
    assert created.changes["criteria_metric"] == [None, "sessions_completed"]
    assert edited.changes == {"name": ["Reader", "Keen Reader"], "criteria_threshold": [10, 12]}
    assert deleted.changes["name"] == ["Keen Reader", None]
    assert created.created_at is not None


def test_an_edit_that_changes_nothing_writes_no_diff(operator, session):
    client, _user = operator
    client.post("/admin/badge/new/", data=_badge_data(client))
    badge = session.query(Badge).one()
    client.post(f"/admin/badge/edit/?id={badge.id}", data=_badge_data(client))
    assert [e.action.value for e in _entries(session, "Badge")] == ["create"]


def test_staff_account_secrets_never_reach_the_log(app, session):
    client, _admin = staff_client(app, session, "admin")
    url = "/admin/staffaccount/new/"
    data = {
        "csrf_token": token(client, url),
        "email": "new.teacher@example.org",
        "display_name": "New Teacher",
        "role": "teacher",
        "is_active": "y",
        "timezone": "Asia/Kolkata",
        "locale": "en",
        "new_password": "a fresh long passphrase",
    }
    assert client.post(url, data=data).status_code == 302
    (created,) = _entries(session, "StaffAccount")
    assert created.changes["password_hash"] == [None, REDACTED]
    assert "session_version" not in created.changes or created.changes["session_version"][1] == REDACTED
    text = str(created.changes)
    assert "a fresh long passphrase" not in text
    assert "scrypt" not in text


def test_bulk_delete_action_is_audited(operator, session):
    client, _user = operator
    badges = [f.make_badge(session) for _ in range(2)]
    session.commit()
    ids = [str(b.id) for b in badges]
    data = {"csrf_token": token(client, "/admin/badge/"), "action": "delete", "rowid": ids}
    assert client.post("/admin/badge/action/", data=data).status_code == 302
    entries = _entries(session, "Badge")
    assert sorted(e.object_id for e in entries) == sorted(ids)
    assert {e.action.value for e in entries} == {"delete"}


def test_history_link_and_filtered_audit_view(operator, session):
    client, user = operator
    client.post("/admin/badge/new/", data=_badge_data(client))
    other = f.make_badge(session)
    f.make_audit_entry(session, model="Badge", object_id=str(other.id), changes={"name": ["x", "y"]})
    session.commit()
    badge = session.query(Badge).filter_by(slug="reader").one()
    details = client.get(f"/admin/badge/details/?id={badge.id}").get_data(as_text=True)
    history = f"/admin/auditentry/?model=Badge&amp;object_id={badge.id}"
    assert history in details
    listing = client.get(history.replace("&amp;", "&")).get_data(as_text=True)
    assert user.email in listing
    assert "&#34;x&#34;" not in listing
    assert "x → y" not in listing


def test_audit_view_is_read_only_for_operators_and_filterable(operator, session):
    client, _user = operator
    entry = f.make_audit_entry(session)
    session.commit()
    assert client.get("/admin/auditentry/").status_code == 200
    assert client.get(f"/admin/auditentry/details/?id={entry.id}").status_code == 200
    assert client.get(f"/admin/auditentry/edit/?id={entry.id}").status_code == 403
    assert client.get("/admin/auditentry/new/").status_code == 403
    delete = {"id": str(entry.id), "csrf_token": token(client, "/admin/auditentry/")}
    assert client.post("/admin/auditentry/delete/", data=delete).status_code == 403
    view = next(v for v in client.application.extensions["admin"][0]._views if v.endpoint == "auditentry")
    filters = {str(flt.name).lower(): flt for flt in view._filters}
    assert {"actor", "model", "created at"} <= set(filters)
    operations = {str(flt.operation()) for flt in view._filters if str(flt.name) == "Created At"}
    assert "between" in operations
