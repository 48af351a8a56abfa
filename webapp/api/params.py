"""Path and query parameters of the API's endpoints, each set declared as one Pydantic model.

The same model checks the request (`bind`) and describes the parameters in the OpenAPI
document (`describe`), so the two cannot disagree. They are checked after the guard, so a
caller without a token learns nothing from them. A path that names nothing valid is answered
404 (there is nothing there); a query out of range is answered 422 with the parameters at
fault, each as a JSON pointer into the query (`/per_page`).
"""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import request
from pydantic import BaseModel, ValidationError

from webapp.api.errors import ApiError
from webapp.models.ingest.schemas import ItemError
from webapp.services.ingest.items import pointer, reason_of

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def flask_rule(path: str, model: type[BaseModel] | None) -> str:
    """Return the Flask rule of an OpenAPI path: `{name}` becomes `<name>`, or `<path:name>` for
    a text parameter, since the platform's ids may hold a slash (sent as %2F, which servers decode)."""
    fields = model.model_fields if model is not None else {}
    if set(PLACEHOLDER.findall(path)) != set(fields):
        raise TypeError(f"{path}: its placeholders and the fields of its path model differ")

    def convert(match: re.Match) -> str:
        name = match.group(1)
        return f"<path:{name}>" if fields[name].annotation is str else f"<{name}>"

    return PLACEHOLDER.sub(convert, path)


def _query_errors(exc: ValidationError) -> list[ItemError]:
    return [ItemError(pointer=pointer(*e["loc"]), reason=reason_of(e)) for e in exc.errors(include_url=False)]


def bind(view: Callable, path: type[BaseModel] | None, query: type[BaseModel] | None) -> Callable:
    """Wrap a view so that it is called with its checked parameters, as `path=` and `query=`."""

    @wraps(view)
    def run(**values: str) -> Any:
        checked: dict[str, BaseModel] = {}
        if path is not None:
            try:
                checked["path"] = path.model_validate(values)
            except ValidationError as exc:
                why = "; ".join(f"{e['loc'][0]}: {reason_of(e)}" for e in exc.errors(include_url=False))
                raise ApiError(404, f"Nothing is at this path ({why}).") from None
        if query is not None:
            try:
                checked["query"] = query.model_validate(request.args.to_dict())
            except ValidationError as exc:
                raise ApiError(422, "A query parameter is not valid.", _query_errors(exc)) from None
        return view(**checked)

    return run


def describe(model: type[BaseModel], where: str) -> list[dict]:
    """Return the OpenAPI parameter objects of a model's fields (`where`: path or query)."""
    schema = model.model_json_schema(mode="validation")
    if "$defs" in schema:
        raise TypeError(f"{model.__name__}: parameters must be plain values, not models or enums")
    required = set(schema.get("required", ()))
    described = []
    for name, field in schema["properties"].items():
        field = {k: v for k, v in field.items() if k not in ("title", "description")}
        parameter = {"name": name, "in": where, "required": where == "path" or name in required}
        if description := model.model_fields[name].description:
            parameter["description"] = description
        described.append({**parameter, "schema": field})
    return described
