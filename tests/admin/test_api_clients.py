"""The admin's API clients page: admins create, rotate and revoke; the token is shown once."""

import re

from sqlalchemy import select

from tests.admin.support import staff_client, token
from webapp.models import ApiClient, AuditEntry
from webapp.services.ingest.clients import token_hash

PAGE = "/admin/apiclients/"
TOKEN = re.compile(r'<pre class="border p-2" id="api-token">(sd_[A-Za-z0-9_-]+)</pre>')


def _create(client, **form):
    data = {"csrf_token": token(client, PAGE), "name": "Learner app", "scopes": ["activity:write"],
            "networks": "", "rate_limit": "600", **form}  # fmt: skip
    return client.post(PAGE, data=data)


def test_an_admin_creates_a_client_and_sees_its_token_once(app, session):
    client, admin = staff_client(app, session, "admin")
    response = _create(client, networks="10.0.0.0/8\n127.0.0.1")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = TOKEN.search(response.get_data(as_text=True)).group(1)
    row = session.scalars(select(ApiClient)).one()
    assert row.token_hash == token_hash(secret)  # only the hash is kept
    assert secret not in str(row.__dict__)
    assert (row.scopes, row.allowed_networks, row.created_by_id) == (
        ["activity:write"],
        ["10.0.0.0/8", "127.0.0.1/32"],
        admin.id,
    )
    listing = client.get(PAGE).get_data(as_text=True)
    assert secret not in listing
    assert row.token_prefix in listing
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    entry = session.scalars(select(AuditEntry).where(AuditEntry.model == "ApiClient")).one()
    assert secret not in str(entry.changes) + str(entry.summary)


def test_bad_input_is_a_field_error(app, session):
    client, _ = staff_client(app, session, "admin")
    page = _create(client, networks="not-a-network", scopes=[]).get_data(as_text=True)
    assert "not an IP address or network" in page
    assert "at least 1 item" in page
    _create(client)
    assert "another API client has this name" in _create(client).get_data(as_text=True)
    assert session.scalar(select(ApiClient.name)) == "Learner app"


def test_rotating_replaces_the_token_and_revoking_stops_the_client(app, session):
    client, _ = staff_client(app, session, "admin")
    first = TOKEN.search(_create(client).get_data(as_text=True)).group(1)
    row_id = session.scalar(select(ApiClient.id))
    rotated = client.post(f"{PAGE}{row_id}/rotate", data={"csrf_token": token(client, PAGE)})
    second = TOKEN.search(rotated.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    client.post(f"{PAGE}{row_id}/revoke", data={"csrf_token": token(client, PAGE)})
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    assert "revoked" in client.get(PAGE).get_data(as_text=True)


def test_operators_and_teachers_may_not_touch_api_clients(app, session):
    for role in ("operator", "teacher"):
        client, _ = staff_client(app, session, role)
        assert client.get(PAGE).status_code == 403
        assert _create(client).status_code in (400, 403)
    assert session.scalar(select(ApiClient.id)) is None


def test_the_form_offers_every_scope_and_refuses_others(app, session):
    client, _ = staff_client(app, session, "admin")
    page = client.get(PAGE).get_data(as_text=True)
    for scope in ("activity:write", "roster:write", "notifications:read", "notifications:write"):
        assert f'value="{scope}"' in page
    refused = _create(client, scopes=["notifications:read", "notifications:delete"]).get_data(as_text=True)
    assert "not a valid choice" in refused
    assert session.scalar(select(ApiClient.id)) is None
    secret = TOKEN.search(_create(client, scopes=["notifications:read"]).get_data(as_text=True)).group(1)
    assert session.scalars(select(ApiClient.scopes)).one() == ["notifications:read"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert me["scopes"] == ["notifications:read"]
