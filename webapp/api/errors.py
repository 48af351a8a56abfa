"""Errors of the API as problem details (RFC 9457): JSON a client can act on, never an HTML page.

401 (no or bad token) says how to authenticate; 403 names the scope or address refused;
404 says that what the path names does not exist; 413, 415 and 422 say what is wrong with the
body or the query (422 lists the fields); 429 says when to come back (Retry-After).
Anything unexpected is logged and answered 500 without details.
"""

from flask import current_app, request
from werkzeug.exceptions import HTTPException

from webapp.api import bp
from webapp.extensions import db
from webapp.models.ingest.schemas import ItemError, Problem
from webapp.services.ingest.items import BatchError

JSON = "application/problem+json"
TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    413: "Payload too large", 415: "Unsupported media type", 422: "Unprocessable content",
    429: "Too many requests", 500: "Internal server error",
}  # fmt: skip
AUTHENTICATE = 'Bearer realm="ShikshaDisha API"'


class ApiError(HTTPException):
    """An error of the API with a detail, per-field errors and headers of its own."""

    def __init__(
        self,
        code: int,
        detail: str,
        errors: list[ItemError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(description=detail)
        self.code = code
        self.errors = errors or []
        self.extra_headers = headers or {}


def problem(
    code: int, detail: str | None, errors: list[ItemError] | None = None, headers: dict | None = None
):
    """Return a problem-details response."""
    body = Problem(title=TITLES.get(code, "Error"), status=code, detail=detail, errors=errors or [])
    response = current_app.response_class(body.model_dump_json(), status=code, mimetype=JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if code == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = AUTHENTICATE
    return response


def api_error_response(error: Exception):
    """Turn any exception raised under /api/v1 into a problem response."""
    if isinstance(error, ApiError):
        return problem(error.code, error.description, error.errors, error.extra_headers)
    if isinstance(error, BatchError):
        db.session.rollback()
        return problem(error.status, str(error), error.errors)
    if isinstance(error, HTTPException) and error.code and error.code < 500:
        headers = dict(error.get_headers()) if error.code in (405, 429) else {}
        headers.pop("Content-Type", None)
        return problem(error.code, error.description, headers=headers)
    db.session.rollback()
    current_app.logger.exception("unhandled API error on %s", request.path, exc_info=error)
    return problem(500, "Something went wrong on our side. It has been logged.")


def is_api_request() -> bool:
    """Whether the request is for the API (its errors are problem details, not pages)."""
    return request.path.startswith("/api/")


# Every error of the API's endpoints (and of the guard before them) is answered with problem details.
bp.register_error_handler(Exception, api_error_response)
