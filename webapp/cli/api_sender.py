"""Sending batches to the ingest API from a command: in this process, or to a running server."""

import json
import logging
import os
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app

from webapp.extensions import db
from webapp.models.core.enums import ApiScope
from webapp.models.ingest.schemas import ApiClientFields
from webapp.services.ingest.clients import create_client, revoke

TOKEN_ENV = "SHIKSHADISHA_API_TOKEN"  # noqa: S105 - the name of a variable, not a secret


class Sender:
    """POSTs batches (`send(kind, items)`) and counts them; a refused request stops the command."""

    def __init__(self, post) -> None:
        self.post, self.sent, self.calls = post, 0, 0

    def __call__(self, kind: str, items: list[dict]) -> dict:
        status, body = self.post(f"/{kind}", json.dumps({"items": items}).encode())
        if status != 200:
            raise click.ClickException(
                f"the API answered {status} to a {kind} batch: {body.get('detail', body)}"
            )
        self.sent, self.calls = self.sent + len(items), self.calls + 1
        return body


@contextmanager
def api_sender(api_url: str | None) -> Iterator[Sender]:
    """Yield a sender: to api_url with the token in SHIKSHADISHA_API_TOKEN, else to this app in-process."""
    if api_url:
        token = os.environ.get(TOKEN_ENV)
        if not token:
            raise click.UsageError(f"--api-url needs the client's token in {TOKEN_ENV}")
        yield Sender(lambda path, body: _http(api_url.rstrip("/") + path, token, body))
        return
    fields = ApiClientFields(name=f"demo seed {secrets.token_hex(3)}", scopes=list(ApiScope),
                             rate_limit_per_minute=1_000_000)  # fmt: skip
    client, token = create_client(db.session, fields, created_by_id=None)
    db.session.commit()
    app = current_app._get_current_object()
    test_client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def post(path: str, body: bytes) -> tuple[int, dict]:
        response = test_client.post(f"/api/v1{path}", data=body, headers=headers)
        return response.status_code, response.get_json()

    quiet = logging.getLogger("webapp.request")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # one log line per batch would drown the progress bar
    try:
        yield Sender(post)
    finally:  # a token nobody will use again must not stay valid
        quiet.setLevel(level)
        db.session.rollback()
        revoke(db.session, db.session.merge(client))
        db.session.commit()


def _http(url: str, token: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own server
        url, data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except urllib.error.URLError as exc:
        raise click.ClickException(f"cannot reach {url}: {exc.reason}") from exc
