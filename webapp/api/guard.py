"""What every API request passes before its endpoint runs, in this order:

1. a bearer token of an active client (else 401);
2. a call from an address the client's allow-list admits, and the scope the endpoint needs (else 403);
3. the client's own rate limit, requests per minute (else 429 with Retry-After);
4. for a body: JSON (else 415), at most API_MAX_CONTENT_LENGTH bytes (else 413).

The client is then `g.api_client` (a `ClientRef`) for the endpoint; its last use (time and
address) is recorded after it, at most once a minute.
"""

import math
import time
from functools import wraps

from flask import Response, current_app, g, request
from limits import RateLimitItemPerMinute

from webapp.api.errors import AUTHENTICATE, ApiError
from webapp.extensions import db
from webapp.models.core.mixins import utcnow
from webapp.services.ingest.clients import ClientRef, allowed_from, authenticate, note_use

DEFAULT_MAX_BODY = 10 * 1024 * 1024  # 1,000 items of up to ~10 kB each


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer ...` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_client(scope: str | None) -> ClientRef:
    """Authenticate the request and check its address and scope; raise ApiError when refused."""
    token = bearer_token()
    if token is None:
        raise ApiError(401, "Send an API client's token: Authorization: Bearer <token>.")
    client = authenticate(db.session, token)
    if client is None:
        header = AUTHENTICATE + ', error="invalid_token"'
        raise ApiError(401, "The token is unknown or was revoked.", headers={"WWW-Authenticate": header})
    if not allowed_from(client, request.remote_addr):
        raise ApiError(403, "This client may not call from this address.")
    if scope is not None and scope not in client.scopes:
        header = AUTHENTICATE + f', error="insufficient_scope", scope="{scope}"'
        raise ApiError(403, f"This client lacks the scope {scope}.", headers={"WWW-Authenticate": header})
    return client


def check_rate(client: ClientRef) -> dict[str, str]:
    """Count the request against the client's limit; raise 429 past it; return rate headers."""
    limiter = current_app.extensions.get("login_limiter")
    if not current_app.config.get("RATELIMIT_ENABLED", True) or limiter is None:
        return {}
    limit = RateLimitItemPerMinute(client.rate_limit_per_minute)
    keys = ("api-client", str(client.id))
    try:
        allowed = limiter.limiter.hit(limit, *keys)
        reset, remaining = limiter.limiter.get_window_stats(limit, *keys)
    except Exception:  # the counters' store (Redis) is away: serve rather than refuse everyone
        current_app.logger.warning("API rate limit not checked: its store failed", exc_info=True)
        return {}
    wait = max(1, math.ceil(reset - time.time()))
    headers = {"X-RateLimit-Limit": str(limit.amount), "X-RateLimit-Remaining": str(max(0, remaining))}
    if not allowed:
        detail = f"More than {limit.amount} requests a minute: wait {wait} s."
        raise ApiError(429, detail, headers={**headers, "Retry-After": str(wait)})
    return headers


def check_body() -> None:
    """Refuse a body that is not JSON (415) or too large (413), before reading it."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(415, "Send the body as JSON: Content-Type: application/json.")
    limit = current_app.config.get("API_MAX_CONTENT_LENGTH", DEFAULT_MAX_BODY)
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"The body is larger than {limit:,} bytes: send fewer items per batch.")
    request.max_content_length = limit


def guarded(scope: str | None, body: bool):
    """Wrap an endpoint so that it runs only for an allowed client, within its rate limit."""

    def wrap(view):
        @wraps(view)
        def run(*args, **kwargs):
            g.api_client = current_client(scope)
            rate_headers = check_rate(g.api_client)
            if body:
                check_body()
            response: Response = current_app.make_response(view(*args, **kwargs))
            response.headers.update(rate_headers)
            now = utcnow()
            if g.api_client.use_is_stale(now):  # shown to admins; written at most once a minute
                note_use(db.session, g.api_client.id, request.remote_addr, now)
                db.session.commit()
            return response

        return run

    return wrap
