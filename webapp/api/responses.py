"""Serialising endpoint results: Pydantic's own JSON encoder, one pass."""

from flask import current_app
from pydantic import BaseModel


def json_response(result: BaseModel):
    """Return a result (a batch's, a page's...) as JSON."""
    return current_app.response_class(result.model_dump_json(), mimetype="application/json")
