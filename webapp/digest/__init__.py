"""The teachers' weekly digest: its email (mail.py) and the unsubscribe page its link opens.

The unsubscribe link carries a signed token of the staff member's id (no login, no
expiry: an old email's link still works). Opening it shows a button; the button, or
a mail client's one-click POST (RFC 8058, `List-Unsubscribe-Post`), unsubscribes.
A GET never changes anything, so link scanners cannot unsubscribe anyone. The page is in
the language of the staff member the link belongs to, as their digest is.
"""

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer

from webapp.extensions import csrf, db
from webapp.models import User
from webapp.services import digest

bp = Blueprint("digest", __name__)
SALT = "digest-unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    """Return the token of a staff member's unsubscribe link."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT).dumps(user_id)


def _user(token: str) -> User:
    try:
        user_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT).loads(token)
    except BadSignature:
        abort(404)
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_staff:
        abort(404)
    return user


@bp.get("/digest/unsubscribe/<token>")
def unsubscribe_page(token: str):
    """Ask before unsubscribing (or offer to subscribe again)."""
    user = _user(token)
    subscribed = digest.is_subscribed(db.session, user.id)
    return _page(user, token, subscribed=subscribed, done=False)


def _page(user: User, token: str, subscribed: bool, done: bool) -> str:
    """The unsubscribe page, in the language of the link's staff member."""
    with force_locale(digest.digest_locale(user)):
        return render_template(
            "digest/unsubscribe.html", user=user, token=token, subscribed=subscribed, done=done
        )


@bp.post("/digest/unsubscribe/<token>")
@csrf.exempt  # the signed token is the credential; mail clients post here with no form (RFC 8058)
def unsubscribe(token: str):
    """Stop the weekly digest for the token's staff member."""
    user = _user(token)
    digest.set_subscribed(db.session, user.id, False)
    db.session.commit()
    current_app.logger.info(
        "digest unsubscribed: user %s (%s)", user.id, request.form.get("List-Unsubscribe")
    )
    return _page(user, token, subscribed=False, done=True)


@bp.post("/digest/subscribe/<token>")
def subscribe(token: str):
    """Start the weekly digest again (from the unsubscribe page, with its CSRF token)."""
    user = _user(token)
    digest.set_subscribed(db.session, user.id, True)
    db.session.commit()
    return _page(user, token, subscribed=True, done=True)
