"""Serialising endpoint results: Pydantic's own JSON encoder, one pass."""

from flask import current_app

from webapp.models.ingest.schemas import BatchResult


def batch_response(result: BatchResult):
    """Return a batch's result as JSON."""
    return current_app.response_class(result.model_dump_json(), mimetype="application/json")
