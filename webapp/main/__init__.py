"""Site-wide pages: vendored assets and error pages."""

from pathlib import Path

import flask_admin
from flask import Blueprint, abort, current_app
from flask.blueprints import BlueprintSetupState
from werkzeug.security import safe_join

from webapp.main import assets

bp = Blueprint("main", __name__)

_ADMIN_STATIC = Path(flask_admin.__file__).parent / "static"
_OWN_VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"

# Third-party assets served by the app itself (schools run this on closed networks).
# Bootstrap 4.6 and jQuery come with Flask-Admin; plotly.min.js is our own partial
# bundle (static/vendor/README.md says how it is built).
VENDOR_FILES = {
    "bootstrap.min.css": _ADMIN_STATIC / "bootstrap/bootstrap4/css/bootstrap.min.css",
    "bootstrap.min.js": _ADMIN_STATIC / "bootstrap/bootstrap4/js/bootstrap.min.js",
    "popper.min.js": _ADMIN_STATIC / "bootstrap/bootstrap4/js/popper.min.js",
    "jquery.min.js": _ADMIN_STATIC / "vendor/jquery.min.js",
    "plotly.min.js": _OWN_VENDOR / "plotly.min.js",
}


@bp.get("/vendor/<name>")
def vendor(name: str):
    """Serve one vendored asset (immutable under its versioned URL)."""
    if name not in VENDOR_FILES:
        abort(404)
    return assets.send(VENDOR_FILES[name])


def static(filename: str):
    """Serve a file of webapp/static (immutable under its versioned URL)."""
    path = safe_join(current_app.static_folder, filename)
    if path is None or not Path(path).is_file():
        abort(404)
    return assets.send(Path(path))


def asset_path(endpoint: str, values: dict) -> Path | None:
    """Return the file that url_for(endpoint, **values) names, if it names one."""
    if endpoint == "main.vendor":
        return VENDOR_FILES.get(values.get("name", ""))
    if endpoint == "static" and current_app.static_folder:
        found = safe_join(current_app.static_folder, values.get("filename", ""))
        return Path(found) if found else None
    return None


@bp.app_url_defaults
def version_asset_urls(endpoint: str, values: dict) -> None:
    """Add the file's digest to every URL of a static or vendored file."""
    if endpoint not in ("static", "main.vendor") or "v" in values:
        return
    path = asset_path(endpoint, values)
    version = assets.digest(path) if path else None
    if version:
        values["v"] = version


@bp.record_once
def serve_static_files(state: BlueprintSetupState) -> None:
    """Serve the app's own static folder the same way as vendored files."""
    state.app.view_functions["static"] = static
