"""One structured log line per request: who, which endpoint, what status, how long.

Lines are JSON on the ``webapp.request`` logger, e.g.::

    {"event": "request", "method": "GET", "path": "/reports/engagement",
     "endpoint": "reports.engagement", "status": 200, "duration_ms": 12.4, "user_id": 7,
     "remote_addr": "10.0.0.5"}

Outside tests the logger writes to stderr (gunicorn passes it on to its own
stderr, journald or the container log); tests read it through caplog.
"""

import json
import logging
import sys
import time

from flask import Flask, Response, g, request, session

log = logging.getLogger("webapp.request")


def register_request_logging(app: Flask) -> None:
    """Time every request and log one line for it after the response is built."""
    if not app.testing and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    # First of all before-request functions, so that a request refused by an
    # earlier one (a CSRF failure, a rate limit) is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_log_request)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else None
    record = {
        "event": "request",
        "method": request.method,
        "path": request.path,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round(duration_ms, 2) if duration_ms is not None else None,
        "user_id": current_user_id(),
        "remote_addr": request.remote_addr,
    }
    log.info(json.dumps(record, separators=(", ", ": ")))
    return response


def current_user_id() -> int | None:
    """Return the signed-in staff user's id without loading the user just for a log line.

    A view that asked for ``current_user`` already loaded it; otherwise the id
    comes from the signed session cookie, with no database query (static assets
    and refused requests stay cheap).
    """
    user = g.get("_login_user")  # set by Flask-Login once a view asked for current_user
    if user is not None:
        return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
    identity = session.get("_user_id")
    user_id = str(identity or "").partition(":")[0]
    return int(user_id) if user_id.isdigit() else None
