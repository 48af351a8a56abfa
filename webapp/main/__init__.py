"""Site-wide pages: vendored assets and error pages."""

from pathlib import Path

import flask_admin
import plotly
from flask import Blueprint, abort, send_from_directory

bp = Blueprint("main", __name__)

_ADMIN_STATIC = Path(flask_admin.__file__).parent / "static"
_PLOTLY_DATA = Path(plotly.__file__).parent / "package_data"

# Third-party assets served by the app itself (schools run this on closed networks).
VENDOR_FILES = {
    "bootstrap.min.css": (_ADMIN_STATIC / "bootstrap/bootstrap4/css", "bootstrap.min.css"),
    "bootstrap.min.js": (_ADMIN_STATIC / "bootstrap/bootstrap4/js", "bootstrap.min.js"),
    "popper.min.js": (_ADMIN_STATIC / "bootstrap/bootstrap4/js", "popper.min.js"),
    "jquery.min.js": (_ADMIN_STATIC / "vendor", "jquery.min.js"),
    "plotly.min.js": (_PLOTLY_DATA, "plotly.min.js"),
}


@bp.get("/vendor/<name>")
def vendor(name: str):
    """Serve one vendored asset, cached for a year (names change with versions)."""
    if name not in VENDOR_FILES:
        abort(404)
    folder, filename = VENDOR_FILES[name]
    return send_from_directory(folder, filename, max_age=365 * 24 * 3600)
