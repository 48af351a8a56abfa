"""Staff authentication: login, logout, sessions, and the access rules."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from webapp.auth import views  # noqa: E402, F401  (routes register on bp)
