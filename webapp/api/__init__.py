"""/api/v1: the door the platform's apps and school systems use to send activity and rosters,
and the learner apps use to read learners' in-app notifications.

One module per resource (`activity`, `roster`, `me`, `notifications`); each endpoint is a Pydantic schema
in, one service call, a Pydantic response out, declared with `spec.operation`, which also
puts it in the OpenAPI document (`/api/v1/openapi.json`, browsable at `/api/v1/docs`).
What every endpoint shares lives in one place: `guard` (token, scope, address, rate limit,
body size and type) and `errors` (problem details, never a 500 page).
"""

from flask import Blueprint, Flask

from webapp.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import activity, docs, errors, me, notifications, roster  # noqa: E402, F401  (declare everything on bp)


def init_api(app: Flask) -> None:
    """Register the API's endpoints on this app, exempt from CSRF (clients send a token, no cookie)."""
    app.register_blueprint(bp)
    csrf.exempt(bp)
