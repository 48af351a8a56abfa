"""Login throttling with Flask-Limiter: per client address and per email.

A Limiter keeps its storage and settings on itself, so each app gets its own
(a module-level one would be re-bound by every app the tests build). Storage is
memory by default, Redis when RATELIMIT_STORAGE_URI (or CACHE_REDIS_URL) is set,
so that several app servers share one count.
"""

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

DEFAULT_LOGIN_LIMIT = "5 per minute"


def storage_uri(app: Flask) -> str:
    """Return where the counters live: the configured URI, else Redis of the cache, else memory."""
    return app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("CACHE_REDIS_URL") or "memory://"


def _login_email() -> str:
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


def init_throttle(app: Flask) -> Limiter:
    """Create this app's limiter and limit POSTs to the login view."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(key_func=get_remote_address, storage_uri=storage_uri(app), default_limits=[])
    limiter.init_app(app)
    limit = app.config.get("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_LIMIT)
    view = app.view_functions["auth.login"]
    view = limiter.limit(limit, methods=["POST"], key_func=get_remote_address)(view)
    view = limiter.limit(limit, methods=["POST"], key_func=_login_email)(view)
    app.view_functions["auth.login"] = view
    # Flask-Limiter holds the limiter weakly: the app keeps it alive.
    app.extensions["login_limiter"] = limiter
    return limiter
