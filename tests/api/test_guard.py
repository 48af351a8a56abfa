"""What every API request passes: token, scope, address, rate limit, body type and size."""

import json

import pytest
from sqlalchemy import select

from tests.api.support import api_client, bearer, post
from tests.conftest import make_config
from webapp import create_app
from webapp.extensions import db
from webapp.models import ApiClient, metadata
from webapp.services.ingest.clients import revoke, rotate_token

ONE = [{"type": "learner", "id": "L1", "name": "Asha"}]


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["title"]
    return body


def test_no_token_and_a_wrong_token_get_401_with_a_challenge(client):
    response = client.get("/api/v1/me")
    assert "Authorization: Bearer" in _problem(response, 401)["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.get("/api/v1/me", headers=bearer("sd_not-a-token"))
    _problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    _problem(client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401)


def test_a_revoked_token_is_refused_and_a_rotated_one_replaced(client, session):
    row, headers = api_client(session)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    new_token = rotate_token(session, row)
    session.commit()
    _problem(client.get("/api/v1/me", headers=headers), 401)
    assert client.get("/api/v1/me", headers=bearer(new_token)).get_json()["name"] == row.name
    revoke(session, session.get(ApiClient, row.id))
    session.commit()
    assert "revoked" in _problem(client.get("/api/v1/me", headers=bearer(new_token)), 401)["detail"]


def test_a_client_without_the_scope_gets_403_naming_it(client, session):
    _, headers = api_client(session, scopes=["activity:write"])
    response = post(client, "roster", headers, ONE)
    assert "roster:write" in _problem(response, 403)["detail"]
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    _, only_roster = api_client(session, scopes=["roster:write"])
    assert "activity:write" in _problem(post(client, "activity", only_roster, [{"id": "x"}]), 403)["detail"]
    assert post(client, "roster", only_roster, ONE).status_code == 200


def test_an_allow_list_refuses_other_addresses(client, session):
    _, headers = api_client(session, allowed_networks=["10.20.0.0/16"])
    _problem(client.get("/api/v1/me", headers=headers), 403)  # the test client calls from 127.0.0.1
    _, local = api_client(session, allowed_networks=["10.20.0.0/16", "127.0.0.1"])
    assert client.get("/api/v1/me", headers=local).status_code == 200


def test_a_body_must_be_json_of_bounded_size(client, session, app):
    _, headers = api_client(session)
    response = client.post("/api/v1/roster", headers=headers, data="items=1", content_type="text/plain")
    assert "Content-Type: application/json" in _problem(response, 415)["detail"]
    big = json.dumps({"items": [{"type": "learner", "id": f"x{i}", "name": "a" * 500} for i in range(3000)]})
    app.config["API_MAX_CONTENT_LENGTH"] = 1_000_000
    try:
        response = client.post("/api/v1/roster", headers=headers, data=big, content_type="application/json")
    finally:
        app.config["API_MAX_CONTENT_LENGTH"] = make_config("sqlite://").API_MAX_CONTENT_LENGTH
    assert "bytes" in _problem(response, 413)["detail"]


def test_a_batch_that_cannot_be_read_is_refused_whole_with_its_fields(client, session):
    _, headers = api_client(session)
    bad_json = client.post("/api/v1/roster", headers=headers, data="{items", content_type="application/json")
    assert _problem(bad_json, 400)["errors"][0]["pointer"] == ""
    empty = _problem(post(client, "roster", headers, []), 422)
    assert empty["errors"][0]["pointer"] == "/items"
    too_many = _problem(post(client, "roster", headers, ONE * 1001), 422)
    assert "1000" in too_many["errors"][0]["reason"]
    not_object = client.post("/api/v1/roster", headers=headers, json=[1, 2])
    assert _problem(not_object, 422)["errors"]


def test_unknown_paths_and_methods_answer_problem_details(client):
    _problem(client.get("/api/v1/nothing-here"), 404)
    response = client.get("/api/v1/activity")
    _problem(response, 405)
    assert "POST" in response.headers["Allow"]


@pytest.fixture
def limited_app(database_url):
    """An app with rate limits on (the test config turns them off) and an in-process store."""
    app = create_app(make_config(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://"))
    with app.app_context():
        yield app
        db.session.rollback()
        for table in reversed(metadata.sorted_tables):  # what the shared app's fixture does for its tests
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # its own pool: close the connections, do not leave them to the collector


def test_each_client_has_its_own_rate_limit_and_429_says_when_to_retry(limited_app):
    _, slow = api_client(db.session, rate_limit_per_minute=2)
    _, other = api_client(db.session, rate_limit_per_minute=100)
    client = limited_app.test_client()
    first = client.get("/api/v1/me", headers=slow)
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert client.get("/api/v1/me", headers=slow).headers["X-RateLimit-Remaining"] == "0"
    refused = client.get("/api/v1/me", headers=slow)
    assert "2 requests a minute" in _problem(refused, 429)["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/me", headers=other).status_code == 200
    assert db.session.scalar(select(ApiClient.last_used_at).where(ApiClient.rate_limit_per_minute == 2))
