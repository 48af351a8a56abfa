"""The OpenAPI document and its browsable docs (Swagger UI, served from the installed package)."""

from flask import abort, jsonify, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from webapp.api import bp
from webapp.api.spec import document

# The Swagger UI files the docs page loads (no CDN: schools run this on closed networks).
UI_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                      "favicon-32x32.png", "favicon-16x16.png"})  # fmt: skip


@bp.get("/openapi.json")
def openapi_json():
    """Serve the OpenAPI 3.1 document, generated from the declared endpoints and their schemas."""
    return jsonify(document())


@bp.get("/docs")
def docs_page():
    """Serve the browsable docs of the API."""
    return render_template("api/docs.html")


@bp.get("/docs/assets/<name>")
def docs_asset(name: str):
    """Serve one Swagger UI file, cached for a day."""
    if name not in UI_FILES:
        abort(404)
    return send_from_directory(str(swagger_ui_path), name, max_age=24 * 3600)
