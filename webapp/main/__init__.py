"""The landing page until the dashboards exist."""

from flask import Blueprint, render_template

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Show what this app is."""
    return render_template("main/index.html")
