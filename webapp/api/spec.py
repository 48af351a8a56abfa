"""Declaring endpoints, and the OpenAPI 3.1 document generated from those declarations.

`operation()` registers a view on the blueprint behind the guard and records what it takes
(a body, path and query parameters: see `params`) and returns; `document()` turns the records
and the Pydantic models' JSON schemas (draft 2020-12, the dialect of OpenAPI 3.1) into the
document served at /api/v1/openapi.json.
Nothing of it is written by hand: a new endpoint appears in the document by being declared.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from webapp.api import bp
from webapp.api.guard import guarded
from webapp.api.params import bind, describe, flask_rule
from webapp.models.ingest.schemas import Problem

PREFIX = "/api/v1"
PROBLEM = "application/problem+json"
DESCRIPTION = """\
The door the ShikshaDisha learner apps and school systems use to send learner activity and rosters,
and the learner apps use to read learners' in-app notifications.

**Authentication**: every endpoint takes an API client's token, `Authorization: Bearer <token>`.
Admins create clients (with scopes, an optional IP allow-list and a rate limit) in the admin.

**Batches**: up to 1,000 items a request. Each item carries your own `id` for it: an item sent
again (a retried batch, or the same item in two batches) is stored once and comes back as
`duplicate`. Every item gets a result, in order: `accepted`, `duplicate`, or `rejected` with the
JSON pointer of the field at fault and the reason. Good items are stored even when others are
refused. Timestamps must carry a zone; moments more than 5 minutes ahead of the server clock are
refused. Send roster items (learners, groups) before the activity that names them.
"""


@dataclass(frozen=True)
class Operation:
    """One endpoint as the document describes it."""

    method: str
    path: str
    name: str
    summary: str
    description: str
    tag: str
    response: type[BaseModel]
    body: type[BaseModel] | None
    scope: str | None
    path_params: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    not_found: str = "Nothing is at this path."


OPERATIONS: list[Operation] = []


def operation(
    method: str,
    path: str,
    *,
    tag: str,
    response: type[BaseModel],
    body: type[BaseModel] | None = None,
    scope: str | None = None,
    path_params: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    not_found: str | None = None,
) -> Callable:
    """Declare an endpoint: route it behind the guard and describe it in the OpenAPI document.

    `path_params` and `query` are models of the `{placeholders}` of the path and of the query
    string; the view is called with them checked, as `path=` and `query=`.
    """

    def declare(view: Callable) -> Callable:
        doc = inspect.getdoc(view) or ""
        summary, _, description = doc.partition("\n")
        missing = not_found or Operation.not_found
        OPERATIONS.append(Operation(method.upper(), path, view.__name__, summary, description.strip(), tag,
                                    response, body, scope, path_params, query, missing))  # fmt: skip
        run = guarded(scope, body is not None)(bind(view, path_params, query))
        # Merged slashes would redirect: an id that holds "//" must reach the view as sent.
        rule = flask_rule(path, path_params)
        bp.add_url_rule(rule, view.__name__, run, methods=[method.upper()], merge_slashes=False)
        return view

    return declare


def _problem(description: str, refs: dict, headers: dict | None = None) -> dict:
    schema = refs[(Problem, "serialization")]
    answer: dict[str, Any] = {"description": description, "content": {PROBLEM: {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


RATE_HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Requests a minute this client may make.",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {"description": "Requests left in this minute.", "schema": {"type": "integer"}},
}
RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait.", "required": True, "schema": {"type": "integer"}}
}


def _responses(op: Operation, refs: dict) -> dict:
    ok = {
        "description": "Done.",
        "content": {"application/json": {"schema": refs[(op.response, "serialization")]}},
    }
    responses: dict[str, Any] = {
        "200": ok,
        "401": _problem("No token, or an unknown or revoked one.", refs),
        "403": _problem("The client lacks the scope, or may not call from this address.", refs),
        "429": _problem("Over the client's rate limit.", refs, RETRY_AFTER),
    }
    if op.path_params is not None:
        responses["404"] = _problem(op.not_found, refs)
    if op.query is not None:
        responses["422"] = _problem("A query parameter is not valid; `errors` names it (`/per_page`).", refs)
    if op.body is not None:
        responses["400"] = _problem("The body is not valid JSON.", refs)
        responses["413"] = _problem("The body is too large.", refs)
        responses["415"] = _problem("The body is not JSON.", refs)
        responses["422"] = _problem("The batch as a whole cannot be read (fields listed).", refs)
    return responses


def _describe(op: Operation, refs: dict) -> dict:
    described: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "description": op.description,
        "tags": [op.tag],
        "security": [{"bearerAuth": [op.scope] if op.scope else []}],
        "responses": _responses(op, refs),
    }
    parameters = []
    if op.path_params is not None:
        parameters += describe(op.path_params, "path")
    if op.query is not None:
        parameters += describe(op.query, "query")
    if parameters:
        described["parameters"] = parameters
    if op.body is not None:
        schema = refs[(op.body, "validation")]
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return described


@cache
def document() -> dict:
    """Return the OpenAPI 3.1 document of every declared endpoint."""
    models = [(op.body, "validation") for op in OPERATIONS if op.body is not None]
    models += [(op.response, "serialization") for op in OPERATIONS] + [(Problem, "serialization")]
    refs, defs = models_json_schema(list(dict.fromkeys(models)), ref_template="#/components/schemas/{model}")
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        paths.setdefault(PREFIX + op.path, {})[op.method.lower()] = _describe(op, refs)
    security = {"bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API client's token."}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ShikshaDisha API", "version": "1", "description": DESCRIPTION},
        "tags": sorted(({"name": tag} for tag in {op.tag for op in OPERATIONS}), key=lambda t: t["name"]),
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}), "securitySchemes": security},
    }
