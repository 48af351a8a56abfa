"""The OpenAPI document, its docs page, and schemathesis against the served document.

Schemathesis generates requests for every operation from the document itself (valid and
invalid bodies) and checks each answer: never a 500, a documented status code and content
type, documented headers, and a body that matches the documented schema.
"""

from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories as f
from tests.api.support import bearer
from webapp.api.spec import OPERATIONS
from webapp.models.core.enums import ApiScope, NotificationStatus

EXAMPLES = 30  # per operation and mode: enough to find a 500, small enough for the suite
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_document_is_openapi_3_1_and_lists_every_declared_operation(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    declared = {(f"/api/v1{op.path}", op.method.lower()) for op in OPERATIONS}
    listed = {(path, method) for path, methods in document["paths"].items() for method in methods}
    assert listed == declared
    assert {"/api/v1/activity", "/api/v1/roster", "/api/v1/me"} <= set(document["paths"])
    listing = document["paths"]["/api/v1/learners/{learner}/notifications"]["get"]
    assert {(p["name"], p["in"], p["required"]) for p in listing["parameters"]} == {
        ("learner", "path", True), ("page", "query", False), ("per_page", "query", False),
        ("unread", "query", False),
    }  # fmt: skip
    per_page = next(p for p in listing["parameters"] if p["name"] == "per_page")
    assert per_page["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert {"404", "422"} <= set(listing["responses"])
    read = document["paths"]["/api/v1/learners/{learner}/notifications/{id}/read"]["post"]
    described = [(p["name"], p["schema"]["type"]) for p in read["parameters"]]
    assert described == [("learner", "string"), ("id", "integer")]
    assert read["security"] == [{"bearerAuth": ["notifications:write"]}]
    item = document["components"]["schemas"]["LearningSessionItem"]
    assert "started_at" in item["required"]
    assert item["additionalProperties"] is False


def test_the_docs_page_loads_its_assets_from_the_app_itself(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "http://" not in page
    assert "https://" not in page
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert f"/api/v1/docs/assets/{asset}" in page
        response = client.get(f"/api/v1/docs/assets/{asset}")
        assert response.status_code == 200
        assert len(response.data) > 10_000
        response.close()
    assert client.get("/api/v1/docs/assets/../../config.py").status_code == 404
    assert "<script>" not in page  # the CSP allows no inline script: it starts from a file
    script = client.get("/static/api-docs.js")
    assert script.status_code == 200
    script.close()


# Recent moments in a consistent order, for the items whose times are replaced.
RECENT = {"enrolled_at": 120, "started_at": 3, "occurred_at": 2.5, "ended_at": 2, "submitted_at": 2, "at": 2,
          "earned_at": 2, "last_activity_at": 1, "completed_at": 1}  # fmt: skip


def _known_names(case, choice: int = 0, inbox: tuple[int, ...] = ()):
    """Point most generated items at a learner and session that exist (and some at recent
    times), and most paths at that learner and their messages (`choice` picks which), so
    that the reads and writes happen too, not only the refusals."""
    if choice % 3 and "learner" in case.path_parameters:
        case.path_parameters["learner"] = "L1"
    if choice % 3 and "id" in case.path_parameters and inbox:
        case.path_parameters["id"] = inbox[choice % len(inbox)]
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        now = datetime.now(UTC)
        for n, item in enumerate(body["items"]):
            if isinstance(item, dict) and n % 3:
                item.update({k: v for k, v in (("learner", "L1"), ("session", "S1")) if k in item})
            if isinstance(item, dict) and n % 3 == 1:
                item.update(
                    {k: (now - timedelta(hours=h)).isoformat() for k, h in RECENT.items() if item.get(k)}
                )
    return case


OPERATION_KEYS = sorted((f"/api/v1{op.path}", op.method) for op in OPERATIONS)


@pytest.mark.parametrize(("path", "method"), OPERATION_KEYS)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(app, session, path, method, mode):
    token = f.api_token()
    api = f.make_api_client(session, token=token, rate_limit_per_minute=1_000_000, scopes=list(ApiScope))
    learner = f.make_learner(session, external_id="L1")
    f.make_session(session, user=learner, api_client_id=api.id, external_id="S1")
    inbox = tuple(
        f.make_notification(session, recipient=learner, status=NotificationStatus.SENT,
                            sent_at=datetime.now(UTC) - timedelta(hours=h)).id
        for h in range(1, 4)
    )  # fmt: skip
    session.commit()
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]
    cases = st.tuples(operation.as_strategy(generation_mode=mode), st.integers(0, 5))

    @given(case=cases.map(lambda pair: _known_names(*pair, inbox=inbox)))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def answers_as_documented(case) -> None:
        # The WSGI transport does not undo compression, which real HTTP clients do: ask for none.
        case.call_and_validate(headers={**bearer(token), "Accept-Encoding": "identity"}, checks=CHECKS)

    answers_as_documented()
