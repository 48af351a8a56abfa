"""Security headers on every response, with a per-request CSP nonce; no-store on signed-in pages.

Inline scripts must carry `nonce="{{ csp_nonce() }}"` (Flask-Admin's templates get
it through the Admin's csp_nonce_generator). Inline style attributes stay allowed:
Bootstrap, Flask-Admin and Plotly set them, and they cannot run code.
"""

import secrets

from flask import Flask, Response, g, request, session


def csp_nonce() -> str:
    """Return this request's CSP nonce (made on first use)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str) -> str:
    """Return the CSP for a response whose inline scripts carry nonce."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            # Plotly's PNG download draws the chart's SVG from a blob: URL onto a canvas.
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_security_headers(app: Flask) -> None:
    """Add the CSP nonce to templates and the security headers to every response."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def _fresh_request_values() -> None:
        # `g` lives as long as the app context, which may span several requests
        # (the test client reuses a pushed one): start each request clean.
        g.csp_nonce = secrets.token_urlsafe(18)
        g.pop(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        public = "public" in headers.get("Cache-Control", "")  # an asset that says it may be shared
        if "_user_id" in session and not public and not _is_asset(request.endpoint):
            # A signed-in page or export must not stay in a shared browser's or proxy's cache.
            headers["Cache-Control"] = "no-store"
        return response


def _is_asset(endpoint: str | None) -> bool:
    """Static files and vendored assets: the same for everyone, cacheable."""
    return bool(endpoint) and (
        endpoint == "static" or endpoint.endswith(".static") or endpoint == "main.vendor"
    )
