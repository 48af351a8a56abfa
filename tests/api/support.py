"""Helpers of the API tests: a client with a token, batches, and what came back."""

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import factories as f


def bearer(token: str) -> dict[str, str]:
    """The header that authenticates a request."""
    return {"Authorization": f"Bearer {token}"}


def api_client(session: Session, **kw) -> tuple[Any, dict[str, str]]:
    """An API client (committed) and the headers that authenticate as it."""
    token = f.api_token()
    client = f.make_api_client(session, token=token, **kw)
    session.commit()
    return client, bearer(token)


def post(client: FlaskClient, path: str, headers: dict, items: list[dict]):
    """Send a batch; return the response."""
    return client.post(f"/api/v1/{path}", headers=headers, json={"items": items})


def statuses(response) -> list[str]:
    """The status of each item, in the order sent."""
    return [r["status"] for r in response.get_json()["results"]]


def errors_of(response, index: int) -> list[tuple[str, str]]:
    """The (pointer, reason) pairs of one item's result."""
    return [(e["pointer"], e["reason"]) for e in response.get_json()["results"][index]["errors"]]


def ago(**delta) -> str:
    """An ISO timestamp (UTC) that long ago."""
    return (datetime.now(UTC).replace(microsecond=0) - timedelta(**delta)).isoformat()


def learner_item(external_id: str, **kw) -> dict:
    """A roster item for a learner."""
    return {"type": "learner", "id": external_id, "name": f"Learner {external_id}", **kw}


def session_item(external_id: str, learner: str, started: str, **kw) -> dict:
    """An activity item for a learning session."""
    return {"type": "session", "id": external_id, "learner": learner, "started_at": started,
            "content_type": "video", **kw}  # fmt: skip
