"""Request helpers shared by the route tests."""

import re

from flask.testing import FlaskClient

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')

DEFAULT_PASSWORD = "correct horse battery staple"


def csrf_token_from(html: str) -> str:
    """Return the first CSRF token in a page."""
    match = _CSRF.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1) or match.group(2)


def login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD, next_url: str | None = None):
    """Log in through the real form (with its CSRF token); return the response."""
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


def logout(client: FlaskClient, page: str = "/login"):
    """Log out through a POST carrying a CSRF token from any page."""
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post("/logout", data={"csrf_token": token})
