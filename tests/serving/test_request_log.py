"""One structured line per request: user id, endpoint, method, status, duration."""

import json
import logging

from sqlalchemy import event

from tests.factories import make_operator
from tests.helpers import login
from webapp.extensions import db


def request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "webapp.request"]


def test_an_anonymous_request_is_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="webapp.request")
    client.get("/login?next=/").close()
    (line,) = request_lines(caplog)
    assert line["event"] == "request"
    assert (line["method"], line["path"], line["endpoint"]) == ("GET", "/login", "auth.login")
    assert line["status"] == 200
    assert line["user_id"] is None
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_a_signed_in_request_carries_the_user_id(client, session, caplog):
    user = make_operator(session)
    session.commit()
    assert login(client, user.email).status_code == 302
    caplog.set_level(logging.INFO, logger="webapp.request")
    caplog.clear()  # only the two requests below
    client.get("/vendor/bootstrap.min.css").close()
    client.get("/no-such-page").close()
    vendor, missing = request_lines(caplog)
    assert (vendor["endpoint"], vendor["status"], vendor["user_id"]) == ("main.vendor", 200, user.id)
    assert (missing["endpoint"], missing["status"], missing["user_id"]) == (None, 404, user.id)


def test_a_refused_request_is_timed_and_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="webapp.request")
    client.post("/login", data={"email": "x@example.org", "password": "nope"}).close()  # no CSRF token
    (line,) = request_lines(caplog)
    assert (line["path"], line["status"]) == ("/login", 400)
    assert isinstance(line["duration_ms"], float)


def test_the_log_line_never_queries_the_database(client, session, caplog):
    user = make_operator(session)
    session.commit()
    assert login(client, user.email).status_code == 302
    caplog.set_level(logging.INFO, logger="webapp.request")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("/vendor/bootstrap.min.css").close()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []
    assert request_lines(caplog)[-1]["user_id"] == user.id
